import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCheckContract, runSnapshots } from '../../test/helpers/check-contract.ts';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { ramCheck } from './ram.ts';

test('ram check computes used % from MemAvailable, not total minus free', async () => {
  const [[reading]] = (await runSnapshots(ramCheck, [fixtureHost('vm-basic', 0)])) as [
    [{ metrics: Record<string, number> }],
  ];
  const { total_bytes: total = 0, available_bytes: available = 0, used_percent: used } = reading.metrics;
  assert.equal(used, ((total - available) / total) * 100);
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
