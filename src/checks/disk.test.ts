import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertCheckContract, runSnapshots } from '../../test/helpers/check-contract.ts';
import { FIXTURES, fixtureHost } from '../../test/helpers/fixture-host.ts';
import { diskCheck, probeBudget } from './disk.ts';

// The probe locks are shared by every Argus process of a user: these tests keep theirs apart.
process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'argus-run-'));

const fakeStat = (log: string, holdSeconds: number) => [
  'sh',
  join(FIXTURES, 'bin', 'fake-stat.sh'),
  log,
  String(holdSeconds),
];

test('disk check reports real mounts only, probes network mounts out of process and isolates a hung one', async () => {
  const log = join(mkdtempSync(join(tmpdir(), 'argus-disk-')), 'probes.log');
  const hosts = [fixtureHost('mounts-mixed', 0), fixtureHost('mounts-mixed', 1)];
  const [first = [], second = []] = await runSnapshots(diskCheck, hosts, {
    mount_timeout: 0.3,
    statfs_command: fakeStat(log, 3),
  });
  const byMount = new Map(first.map((reading) => [reading.instance, reading]));
  assert.deepEqual([...byMount.keys()].sort(), ['/', '/boot', '/data', '/mnt/nas', '/mnt/remote', '/srv/data store']);
  assert.equal(byMount.get('/mnt/nas')?.unknown, 'mount timeout');
  assert.deepEqual(byMount.get('/mnt/remote')?.metrics, {
    used_percent: (131072 / (131072 + 120000)) * 100,
    free_percent: 100 - (131072 / (131072 + 120000)) * 100,
    used_bytes: 131072 * 4096,
    free_bytes: 120000 * 4096,
    total_bytes: 262144 * 4096,
    inodes_used_percent: (5536 / 65536) * 100,
  });
  assert.deepEqual(byMount.get('/')?.labels, { device: '/dev/sda2', fstype: 'ext4' });
  assert.equal(byMount.get('/data')?.metrics.inodes_used_percent, undefined, 'btrfs has no fixed inode count');

  const again = new Map(second.map((reading) => [reading.instance, reading]));
  assert.equal(again.get('/mnt/nas')?.unknown, 'mount timeout (previous probe still hung)');
  assert.equal(again.get('/mnt/remote')?.unknown, undefined, 'the healthy network mount keeps reporting');
  const probes = readFileSync(log, 'utf8').trim().split('\n');
  assert.equal(probes.filter((mount) => mount === '/mnt/nas').length, 1, 'no second probe while the first hangs');
  assertCheckContract(diskCheck, [...first, ...second]);
});

test('disk check turns diskstats deltas into I/O rates and skips devices whose counters went backwards', async () => {
  const log = join(mkdtempSync(join(tmpdir(), 'argus-disk-')), 'probes.log');
  const hosts = [fixtureHost('mounts-mixed', 0), fixtureHost('mounts-mixed', 1)];
  const [, second = []] = await runSnapshots(diskCheck, hosts, {
    exclude_fstypes: [
      'nfs4',
      'fuse.*',
      'tmpfs',
      'proc',
      'sysfs',
      'devtmpfs',
      'devpts',
      'cgroup2',
      'overlay',
      'squashfs',
    ],
    statfs_command: fakeStat(log, 0),
  });
  const root = second.find((reading) => reading.instance === '/')?.metrics ?? {};
  assert.equal(root.write_bytes_per_second, 32000 * 512);
  assert.equal(root.read_bytes_per_second, 8000 * 512);
  assert.equal(root.write_iops, 400);
  assert.equal(root.busy_percent, 50);
  assert.equal(second.find((reading) => reading.instance === '/srv/data store')?.metrics.read_iops, undefined);
  assert.equal(
    second.find((reading) => reading.instance === '/data')?.metrics.write_iops,
    300,
    'btrfs 0:48 matched by device name',
  );
  assert.match(
    diskCheck.summarize({ instance: '/', metrics: root }),
    /^\/: 73\.7% used, 25\.0 GiB free of 100\.0 GiB, inodes 23\.7%; io r 3\.9 MiB\/s w 15\.6 MiB\/s busy 50\.0%$/,
  );
});

test('disk check honours include lists and reports statfs errors as UNKNOWN for that mount', async () => {
  const [readings = []] = await runSnapshots(diskCheck, [fixtureHost('mounts-mixed', 0)], {
    include_mounts: ['/', '/boot', '/var/lib/docker/*'],
    exclude_mounts: [],
    exclude_fstypes: [],
  });
  assert.deepEqual(
    readings.map((reading) => reading.instance),
    ['/', '/boot', '/var/lib/docker/overlay2/abc123/merged'],
  );
  assert.match(readings[2]?.unknown ?? '', /ENOENT/);
  const [xfsOnly = []] = await runSnapshots(diskCheck, [fixtureHost('mounts-mixed', 0)], { include_fstypes: ['xfs'] });
  assert.deepEqual(
    xfsOnly.map((reading) => reading.instance),
    ['/srv/data store'],
  );
});

test('disk check reads the recorded VM with its reserved blocks counted as df does', async () => {
  const [first = [], second = []] = await runSnapshots(diskCheck, [
    fixtureHost('vm-basic', 0),
    fixtureHost('vm-basic', 1),
  ]);
  assert.deepEqual(
    first.map((reading) => reading.instance),
    ['/'],
  );
  const metrics = second[0]?.metrics ?? {};
  const used = 66053021 - 60355929;
  assert.equal(metrics.used_percent, (used / (used + 20900636)) * 100);
  assert.ok((metrics.write_bytes_per_second ?? 0) >= 64 * 1024 * 1024, 'the 64 MiB written between snapshots shows');
});

test('disk check follows the mount table as it changes between cycles', async () => {
  // One check instance over three cycles: a mount table that changes (a disk mounted, then unmounted) is seen at once,
  // though an unchanged table is parsed and filtered only once.
  const cycles = await runSnapshots(
    diskCheck,
    [fixtureHost('vm-basic', 0), fixtureHost('mounts-mixed', 0), fixtureHost('vm-basic', 1)],
    { include_fstypes: ['ext4', 'xfs'] },
  );
  assert.deepEqual(
    cycles.map((readings) => readings.map((reading) => reading.instance)),
    [['/'], ['/', '/boot', '/srv/data store'], ['/']],
  );
});

test('probeBudget() fits a mount probe inside what is left of the check deadline', () => {
  assert.equal(probeBudget(5000, undefined), 5000);
  assert.equal(probeBudget(5000, 10_000), 5000);
  assert.equal(probeBudget(5000, 1000), 750, 'a quarter of what is left stays for the rest of the check');
  assert.equal(probeBudget(5000, 5000), 4000, 'at most a second of it');
  assert.equal(probeBudget(5000, -5), 0);
});
