import assert from 'node:assert/strict';
import * as v from 'valibot';
import type { Check, Reading } from '../../src/checks/check.ts';
import type { Host } from '../../src/collect/host.ts';

/** Runs a check over numbered snapshots one second apart and returns the readings of every run. */
export async function runSnapshots(
  check: Check,
  hosts: Host[],
  rawOptions: Record<string, unknown> = {},
): Promise<Reading[][]> {
  const collect = check.create(v.parse(check.options, rawOptions));
  let now = 1000;
  const runs: Reading[][] = [];
  for (const host of hosts) {
    runs.push(await collect({ host, signal: new AbortController().signal, monotonicMs: () => now }));
    now += 1000;
  }
  return runs;
}

/** What every check promises: only declared metrics, finite values, a summary line per reading. */
export function assertCheckContract(check: Check, readings: Reading[]): void {
  const declared = check.metrics.map((metric) => new RegExp(`^${metric.name.replace('<N>', '\\d+')}$`));
  for (const reading of readings) {
    for (const [name, value] of Object.entries(reading.metrics)) {
      assert.ok(
        declared.some((pattern) => pattern.test(name)),
        `metric "${name}" is not declared`,
      );
      assert.ok(Number.isFinite(value), `metric "${name}" is not finite: ${value}`);
    }
    if (reading.unknown === undefined) assert.ok(check.summarize(reading).length > 0, 'summary is empty');
  }
  assert.ok(
    check.metrics.some((metric) => metric.name === check.mainMetric),
    'mainMetric is not declared',
  );
}
