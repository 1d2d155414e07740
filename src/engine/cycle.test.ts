import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mock, test } from 'node:test';
import { FIXTURES, fixtureHost, manualClock } from '../../test/helpers/fixture-host.ts';
import { validateConfig } from '../config/validate.ts';
import { createLogRouter } from '../log/logger.ts';
import { createCycle } from './cycle.ts';

const config = (raw: Record<string, unknown>) => {
  const result = validateConfig(raw);
  assert.ok(result.ok);
  return result.config;
};

function makeCollector(raw: Record<string, unknown>, snapshots: string[]) {
  const lines: string[] = [];
  let snapshot = 0;
  const logs = createLogRouter({ level: 'DEBUG', outputs: [{ write: (line) => lines.push(line) }] });
  const hosts = snapshots.map((spec) => {
    const [scenario = '', index = '0'] = spec.split('#');
    return fixtureHost(scenario, Number(index));
  });
  let now = 0;
  const base = hosts[0];
  assert.ok(base);
  const host = new Proxy(base, {
    get: (_, key) => (hosts[snapshot] as unknown as Record<string | symbol, unknown>)[key],
  });
  const cycle = createCycle(config(raw), {
    host,
    hostname: 'testhost',
    logger: logs.logger,
    monotonicMs: () => now,
    now: () => new Date('2026-11-27T12:00:00Z'),
  });
  const next = () => {
    snapshot += 1;
    now += 1000;
  };
  return { cycle, lines, next };
}

test('cycle judges results with thresholds and stamps host and time', async () => {
  const { cycle, next } = makeCollector(
    { enabled_checks: ['cpu', 'ram', 'disk'], thresholds: { disk: { instances: { '/boot': { crit: 99 } } } } },
    ['mounts-mixed#0', 'mounts-mixed#1'],
  );
  const signal = new AbortController().signal;
  assert.equal(await cycle.prime(signal), true);
  next();
  const batch = await cycle.run(signal);
  assert.equal(batch.host, 'testhost');
  const disk = batch.results.filter((result) => result.name === 'disk');
  const boot = disk.find((result) => result.instance === '/boot');
  assert.equal(boot?.status, 'WARN');
  assert.match(boot?.details ?? '', /\[WARN used_percent=96\.84 \(>= 80\)\]$/);
  assert.equal(boot?.timestamp, '2026-11-27T12:00:00.000Z');
  const cpu = batch.results.find((result) => result.name === 'cpu');
  assert.equal(cpu?.status, 'UNKNOWN', 'the fixture has no /proc/stat');
  assert.match(cpu?.details ?? '', /ENOENT/);
});

test('cycle keeps rate baselines across a reload that leaves a check alone', async () => {
  const { cycle, next, lines } = makeCollector({ enabled_checks: ['network'] }, [
    'net-churn#0',
    'net-churn#1',
    'net-churn#1',
  ]);
  const signal = new AbortController().signal;
  await cycle.prime(signal);
  cycle.configure(config({ enabled_checks: ['network'], poll_interval: 5 }));
  assert.equal(cycle.config.poll_interval, 5);
  next();
  const batch = await cycle.run(signal);
  assert.deepEqual(
    batch.results.filter((result) => result.name === 'network').map((result) => result.instance),
    ['eth0', 'wlan0'],
  );
  cycle.configure(config({ enabled_checks: ['network'], checks: { network: { include: ['eth0'] } } }));
  next();
  const fresh = await cycle.run(signal);
  assert.deepEqual(fresh.results, [], 'changed options give a new check with no baseline');
  assert.equal(cycle.config.poll_interval, 60);
  assert.ok(!lines.some((line) => line.includes('WARNING')), lines.join(''));
});

test('cycle logs a failing check once, and its recovery', async () => {
  const { cycle, lines, next } = makeCollector({ enabled_checks: ['ram'] }, [
    'vm-basic#0',
    'cpu-hotplug#0',
    'cpu-hotplug#1',
    'vm-basic#1',
  ]);
  const signal = new AbortController().signal;
  assert.equal(await cycle.prime(signal), false);
  for (let round = 0; round < 3; round += 1) {
    next();
    await cycle.run(signal);
  }
  assert.equal(lines.filter((line) => line.includes('WARNING') && line.includes('check "ram" failed')).length, 1);
  assert.equal(lines.filter((line) => line.includes('works again')).length, 1);
});

test('cycle reports an unavailable check as UNKNOWN with its reason', async () => {
  const { cycle } = makeCollector({ enabled_checks: ['temperature'] }, ['vm-basic#0']);
  const batch = await cycle.run(new AbortController().signal);
  assert.deepEqual(
    batch.results.map((result) => [result.status, result.details]),
    [['UNKNOWN', 'no sensors found']],
  );
});

test('prime waits the sample window from when the first samples began, not from when the slowest ended', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const clock = manualClock();
  const base = fixtureHost('net-churn', 0);
  let readCost = 0;
  // Reading /proc/net/dev "takes" readCost ms of the manual clock: the first run's own time.
  const host = { ...base, readText: (path: string) => (clock.advance(readCost), base.readText(path)) };
  const logs = createLogRouter({ level: 'ERROR', outputs: [] });
  const deps = { host, hostname: 'h', logger: logs.logger, monotonicMs: clock.monotonicMs, now: () => new Date() };
  const signal = new AbortController().signal;
  const settled = (promise: Promise<unknown>) => {
    const state = { done: false };
    void promise.then(() => (state.done = true));
    return state;
  };
  const flush = () => new Promise((resolve) => setImmediate(resolve));

  readCost = 40;
  const network = createCycle(config({ enabled_checks: ['network', 'ram'] }), deps);
  const primed = settled(network.prime(signal, 200));
  await flush();
  mock.timers.tick(159);
  await flush();
  assert.equal(primed.done, false, '40 ms went into the first samples: 160 ms are left to wait');
  mock.timers.tick(1);
  await flush();
  assert.equal(primed.done, true);

  readCost = 250;
  const slow = createCycle(config({ enabled_checks: ['network'] }), deps);
  const slowPrimed = settled(slow.prime(signal, 200));
  await flush();
  assert.equal(slowPrimed.done, true, 'a first run longer than the window leaves nothing to wait');

  const noRates = createCycle(config({ enabled_checks: ['ram'] }), deps);
  assert.equal(await noRates.prime(signal, 200), false, 'no rate check: no wait at all');
});

// The attack battery's hung FUSE mount at a 1 s interval: mount_timeout (5 s) outlived the disk check's deadline
// (1 s), so the whole check timed out ("failed"), the next cycle found the probe stuck and answered ("works
// again"), and so on every cycle. Each probe now ends inside the deadline, and the mount alone is UNKNOWN.
test('cycle keeps a hung mount inside the disk check deadline and logs it once, and again when it answers', async () => {
  process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'argus-run-'));
  const dir = mkdtempSync(join(tmpdir(), 'argus-disk-'));
  const statfs = ['sh', join(FIXTURES, 'bin', 'fake-stat.sh'), join(dir, 'probes.log'), '1'];
  const { cycle, lines, next } = makeCollector(
    {
      enabled_checks: ['disk'],
      poll_interval: 1,
      checks: { disk: { mount_timeout: 5, statfs_command: statfs, include_mounts: ['/', '/mnt/*'] } },
    },
    ['mounts-mixed#0', ...Array.from({ length: 300 }, () => 'mounts-mixed#1')],
  );
  const signal = new AbortController().signal;
  await cycle.prime(signal);
  const nas = async () => {
    next();
    const batch = await cycle.run(signal);
    assert.ok(
      batch.results.some((result) => result.instance === '/' && result.status !== 'UNKNOWN'),
      JSON.stringify(batch.results.map((result) => [result.instance, result.status, result.details])),
    );
    return batch.results.find((result) => result.instance === '/mnt/nas');
  };
  assert.match((await nas())?.details ?? '', /mount timeout/);
  assert.match((await nas())?.details ?? '', /mount timeout/);
  // The mount answers from now on; the cycles until the last hung probe is reaped still call it unmeasured.
  writeFileSync(join(dir, 'probes.log.answers'), '');
  let answered = await nas();
  for (let tries = 0; tries < 250 && answered?.status !== 'OK'; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    answered = await nas();
  }
  assert.equal(answered?.status, 'OK');
  const said = lines.filter((line) => line.includes('"/mnt/nas"'));
  assert.equal(said.length, 2, said.join(''));
  assert.match(said[0] ?? '', /WARNING .*check "disk" cannot measure "\/mnt\/nas": mount timeout/);
  assert.match(said[1] ?? '', /INFO .*check "disk" measures "\/mnt\/nas" again/);
  assert.ok(!lines.some((line) => /check "disk" (failed|works again)/.test(line)), lines.join(''));
});
