import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureHost, manualClock } from '../../test/helpers/fixture-host.ts';
import { createHost, type Host } from './host.ts';
import { createProcessSampler } from './process-sampler.ts';
import {
  createProcessReader,
  detectPageSize,
  parseCmdline,
  parsePasswd,
  parseProcessIo,
  parseProcessStat,
  parseStatusUid,
} from './processes.ts';

const byPid = <T extends { pid: number }>(rows: readonly T[], pid: number): T => {
  const row = rows.find((candidate) => candidate.pid === pid);
  assert.ok(row, `pid ${pid} listed`);
  return row;
};

test('the reader lists a recorded process table: a kernel thread, a zombie, a user process, PID 1', () => {
  const processes = createProcessReader(4096).read(fixtureHost('procs', 0));
  assert.deepEqual(
    processes.map((process) => process.pid).sort((a, b) => a - b),
    [1, 2, 4618, 4689],
    'the process that has only a stat file (it exited mid-read) is left out',
  );
  const kthreadd = byPid(processes, 2);
  assert.equal(kthreadd.kernelThread, true);
  assert.equal(kthreadd.command, '[kthreadd]');
  assert.equal(kthreadd.readBytes, undefined, 'kernel threads have no I/O of their own to read');
  const zombie = byPid(processes, 4618);
  assert.equal(zombie.state, 'Z');
  assert.equal(zombie.command, '[sh]');
  const burner = byPid(processes, 4689);
  assert.equal(burner.name, 'burner --label=');
  assert.equal(burner.command, 'burner --label=(x) y');
  assert.equal(burner.user, 'www-data', 'the uid 33 of its status maps through the scenario etc/passwd');
  assert.equal(burner.state, 'R');
  assert.equal(burner.rssBytes, 1210 * 4096);
  assert.equal(burner.threads, 1);
  assert.equal(burner.cpuTicks, 30);
  assert.equal(burner.readBytes, 3952640);
  const init = byPid(processes, 1);
  assert.equal(init.user, 'root');
  assert.equal(init.readBytes, undefined, 'an io file that cannot be read is unknown, not zero');
  assert.match(init.command, /^\/process_api --firecracker-init /);
});

test('the sampler measures CPU from tick deltas over the monotonic time, per core as top does', () => {
  const clock = manualClock();
  const sampler = createProcessSampler(clock.monotonicMs, createProcessReader(4096));
  const first = sampler.sample(fixtureHost('procs', 0));
  assert.equal(byPid(first.processes, 4689).cpuPercent, undefined, 'a first sample has no rate yet');
  assert.deepEqual(first.counts, {
    total: 4,
    running: 1,
    sleeping: 2,
    uninterruptible: 0,
    stopped: 0,
    zombie: 1,
    threads: byPid(first.processes, 1).threads + 3,
  });
  clock.advance(1000);
  const second = sampler.sample(fixtureHost('procs', 1));
  const burner = byPid(second.processes, 4689);
  assert.equal(burner.cpuPercent, 101, '101 ticks (1.01 s of CPU) in one second');
  assert.equal(burner.readBytesPerSecond, 0);
  assert.ok(burner.memPercent > 0 && burner.memPercent < 1);
  assert.equal(byPid(second.processes, 1).readBytesPerSecond, undefined);
  assert.equal(
    second.processes.some((process) => process.pid === 4618),
    false,
    'the zombie reaped mid-read is gone',
  );
});

test('a pid reused by a new process (another start time) starts its rate over and is read afresh', () => {
  const stat = (start: number, ticks: number, name = 'worker') =>
    `77 (${name}) S 1 77 77 0 -1 4194304 0 0 0 0 ${ticks} 0 0 0 20 0 1 0 ${start} 1000 10 0`;
  const files: Record<string, string> = {
    '/p/77/stat': stat(100, 50),
    '/p/77/status': 'Name:\tworker\nUid:\t0\t0\t0\t0\n',
    '/p/77/cmdline': 'worker\0--one\0',
  };
  const host = {
    procRoot: '/p',
    rootfs: '/nonexistent',
    listDir: () => ['77', 'self', 'meminfo'],
    tryReadText: (path: string) => files[path],
    readText: (path: string) => {
      if (path === '/p/meminfo') return 'MemTotal: 1000 kB\nMemFree: 1 kB\nMemAvailable: 1 kB\n';
      throw new Error(`ENOENT ${path}`);
    },
  } as unknown as Host;
  const clock = manualClock();
  const sampler = createProcessSampler(clock.monotonicMs, createProcessReader(4096));
  sampler.sample(host);
  clock.advance(2000);
  files['/p/77/stat'] = stat(100, 150);
  files['/p/77/cmdline'] = 'changed\0'; // not read again: the same process
  const same = byPid(sampler.sample(host).processes, 77);
  assert.equal(same.cpuPercent, 50);
  assert.equal(same.command, 'worker --one');
  assert.equal(same.user, '0', 'a uid without a passwd entry shows as its number');
  clock.advance(2000);
  files['/p/77/stat'] = stat(900, 5, 'other');
  const reused = byPid(sampler.sample(host).processes, 77);
  assert.equal(reused.cpuPercent, undefined, 'no rate across two different processes');
  assert.equal(reused.command, 'changed');
});

test('parseProcessStat() finds the fields after the last ")" of a name holding spaces and parentheses', () => {
  const parsed = parseProcessStat(
    '1234 (tmux: (server)) S 1 1234 1234 0 -1 4194624 500 0 0 0 12 8 0 0 20 0 3 0 4567 9000000 250 0',
  );
  assert.ok(parsed);
  assert.equal(parsed.name, 'tmux: (server)');
  assert.equal(parsed.state, 'S');
  assert.equal(parsed.cpuTicks, 20);
  assert.equal(parsed.threads, 3);
  assert.equal(parsed.startTicks, 4567);
  assert.equal(parsed.rssPages, 250);
  assert.equal(parsed.kernelThread, false);
  assert.equal(parseProcessStat('1234 (cut'), undefined);
  assert.equal(parseProcessStat('1234 (short) S 1 2'), undefined);
});

test('the small parsers: status uid, io counters, cmdline, passwd, page size', () => {
  assert.equal(parseStatusUid('Name:\tx\nUid:\t1000\t1001\t1000\t1000\nGid:\t1\n'), 1001);
  assert.equal(parseStatusUid('Name:\tx\n'), undefined);
  assert.deepEqual(parseProcessIo('rchar: 1\nwchar: 2\nread_bytes: 4096\nwrite_bytes: 8192\n'), {
    readBytes: 4096,
    writeBytes: 8192,
  });
  assert.equal(parseProcessIo('rchar: 1\n'), undefined);
  assert.equal(parseCmdline('a\0b c\0d\0\0'), 'a b c d');
  assert.deepEqual(
    [...parsePasswd('root:x:0:0::/:/bin/sh\n#broken\ntoor:x:0:0::/:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n')],
    [
      [0, 'root'],
      [65534, 'nobody'],
    ],
  );
  const pageSize = detectPageSize();
  assert.ok(pageSize >= 4096 && Number.isInteger(Math.log2(pageSize)), `page size ${pageSize}`);
});

test('the reader reads the live /proc: this process is listed with its own command line', () => {
  const processes = createProcessReader().read(createHost());
  const self = byPid(processes, process.pid);
  assert.equal(self.ppid, process.ppid);
  assert.ok(self.rssBytes > 0);
  assert.ok(self.command.includes(process.argv[1] ?? 'node'), self.command);
});

test('io is read again only for a process that ran (or waits in state D); the others keep their counters', () => {
  const stat = (ticks: number, state = 'S') =>
    `9 (worker) ${state} 1 9 9 0 -1 4194304 0 0 0 0 ${ticks} 0 0 0 20 0 1 0 100 1000 10 0`;
  const files: Record<string, string> = {
    '/p/9/stat': stat(5),
    '/p/9/status': 'Name:\tworker\nUid:\t0\t0\t0\t0\n',
    '/p/9/cmdline': 'worker\0',
    '/p/9/io': 'rchar: 0\nread_bytes: 100\nwrite_bytes: 0\n',
  };
  const reads: string[] = [];
  const host = {
    procRoot: '/p',
    rootfs: '/nonexistent',
    listDir: () => ['9'],
    tryReadText: (path: string) => {
      reads.push(path);
      return files[path];
    },
  } as unknown as Host;
  const reader = createProcessReader(4096);
  const ioReads = () => reads.filter((path) => path.endsWith('/io')).length;
  assert.equal(reader.read(host)[0]?.readBytes, 100);
  files['/p/9/io'] = 'rchar: 0\nread_bytes: 999\nwrite_bytes: 0\n';
  assert.equal(reader.read(host)[0]?.readBytes, 100, 'no CPU used: the last counters, without a read');
  assert.equal(ioReads(), 1);
  files['/p/9/stat'] = stat(6);
  assert.equal(reader.read(host)[0]?.readBytes, 999, 'it ran: read again');
  files['/p/9/stat'] = stat(6, 'D');
  reader.read(host);
  assert.equal(ioReads(), 3, 'state D is always read: it may be waiting on I/O that moves its counters');
});

test('a read without io (the first frame of argus top) leaves the counters unknown, and the next read reads them', () => {
  const host = fixtureHost('procs', 0);
  let ioReads = 0;
  const counting: Host = {
    ...host,
    tryReadText: (path) => {
      if (path.endsWith('/io')) ioReads += 1;
      return host.tryReadText(path);
    },
  };
  const reader = createProcessReader(4096);
  const first = reader.read(counting, { io: false });
  assert.equal(ioReads, 0, 'no io file read');
  assert.equal(byPid(first, 4689).readBytes, undefined);
  const second = reader.read(counting);
  assert.ok(ioReads > 0);
  assert.equal(byPid(second, 4689).readBytes, 3952640, 'read although the process used no CPU in between');
});
