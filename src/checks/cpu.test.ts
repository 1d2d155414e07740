import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v from 'valibot';
import { assertCheckContract, runSnapshots } from '../../test/helpers/check-contract.ts';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { cpuCheck } from './cpu.ts';

test('cpu check reports load at once and busy shares from the second run on', async () => {
  const [first, second] = await runSnapshots(cpuCheck, [fixtureHost('vm-basic', 0), fixtureHost('vm-basic', 1)]);
  assert.equal(first?.[0]?.metrics.usage_percent, undefined);
  assert.ok((first?.[0]?.metrics.load1 ?? -1) >= 0);
  const metrics = second?.[0]?.metrics ?? {};
  assert.ok((metrics.usage_percent ?? -1) >= 0 && (metrics.usage_percent ?? 101) <= 100);
  assert.equal(metrics.cores, 2);
  assert.ok('core0_usage_percent' in metrics && 'core1_usage_percent' in metrics);
  assertCheckContract(cpuCheck, [...(first ?? []), ...(second ?? [])]);
});

test('cpu check copes with hot-plugged cores and counters that go backwards', async () => {
  const hosts = [0, 1, 2].map((snapshot) => fixtureHost('cpu-hotplug', snapshot));
  const [, plugged, restored] = await runSnapshots(cpuCheck, hosts);
  const metrics = plugged?.[0]?.metrics ?? {};
  // total deltas: user 600, system 200, idle 800, iowait 100, steal 100 → busy 900/1800
  assert.equal(metrics.usage_percent, 50);
  assert.equal(metrics.steal_percent, (100 / 1800) * 100);
  assert.deepEqual(
    Object.keys(metrics)
      .filter((key) => /^core\d/.test(key))
      .sort(),
    ['core0_usage_percent', 'core1_usage_percent', 'core3_usage_percent'],
  );
  assert.equal(metrics.load1_per_core, 3.1 / 4);
  const afterRestore = restored?.[0]?.metrics ?? {};
  assert.equal(afterRestore.usage_percent, undefined, 'no rate from counters that went backwards');
  assert.equal(afterRestore.load1, 3.1);
});

test('cpu check summary names the modes and the load', async () => {
  const [first, second] = await runSnapshots(cpuCheck, [fixtureHost('cpu-hotplug', 0), fixtureHost('cpu-hotplug', 1)], {
    per_core: false,
  });
  assert.match(cpuCheck.summarize(first?.[0] ?? { metrics: {} }), /^load 3\.10 2\.05 1\.50 \(0\.78\/core, 4 cores\)$/);
  assert.match(
    cpuCheck.summarize(second?.[0] ?? { metrics: {} }),
    /^50\.0% busy \(user 33\.3, system 11\.1, iowait 5\.6, steal 5\.6\), load/,
  );
  assert.ok(!Object.keys(second?.[0]?.metrics ?? {}).some((key) => /^core\d/.test(key)));
});

test('cpu check reports no rate over less than the minimum window and keeps its baseline for the next run', async () => {
  const collect = cpuCheck.create(v.parse(cpuCheck.options, {}));
  const run = (snapshot: number, now: number) =>
    collect({
      host: fixtureHost('cpu-hotplug', snapshot),
      signal: new AbortController().signal,
      monotonicMs: () => now,
    });
  await run(0, 1000);
  const tooSoon = await run(1, 1002);
  assert.equal(tooSoon[0]?.metrics.usage_percent, undefined, 'no rate over 2 ms');
  assert.equal(tooSoon[0]?.metrics.load1, 3.1, 'loads are not rates');
  // Still measured from snapshot 0: busy 900 of 1800 jiffies, as in the test above.
  assert.equal((await run(1, 2000))[0]?.metrics.usage_percent, 50);
});
