import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCheckContract, runSnapshots } from '../../test/helpers/check-contract.ts';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { ramCheck } from './ram.ts';

test('ram check computes used % from MemAvailable, not total minus free', async () => {
  const [[reading]] = (await runSnapshots(ramCheck, [fixtureHost('vm-basic', 0)])) as [
    [{ metrics: Record<string, number> }],
  ];
  // vm-basic/proc0/meminfo: MemTotal 24684084 kB, MemFree 24372188 kB, MemAvailable 24348292 kB.
  assert.equal(reading.metrics.total_bytes, 25276502016);
  assert.equal(reading.metrics.available_bytes, 24932651008);
  assert.equal(reading.metrics.used_bytes, 343851008, 'total minus available, not total minus free (319,381,504)');
  assert.equal(reading.metrics.used_percent, 1.3603583588518011);
  assert.equal(reading.metrics.swap_total_bytes, 0);
  assert.equal(reading.metrics.swap_used_percent, undefined, 'no swap is not an alarm');
  assert.match(ramCheck.summarize(reading), /no swap$/);
});

test('ram check reports swap in use', async () => {
  const [[reading]] = (await runSnapshots(ramCheck, [fixtureHost('ram-swap', 0)])) as [
    [{ metrics: Record<string, number> }],
  ];
  assert.ok(Math.abs((reading.metrics.swap_used_percent ?? 0) - 75) < 0.001);
  assert.match(ramCheck.summarize(reading), /swap 75\.0% of 2\.0 GiB$/);
  assertCheckContract(ramCheck, [reading]);
  const [[withoutSwap]] = (await runSnapshots(ramCheck, [fixtureHost('ram-swap', 0)], { include_swap: false })) as [
    [{ metrics: Record<string, number> }],
  ];
  assert.equal(withoutSwap.metrics.swap_total_bytes, undefined);
  assert.doesNotMatch(ramCheck.summarize(withoutSwap), /swap/);
});
