import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCheckContract, runSnapshots } from '../../test/helpers/check-contract.ts';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import * as v from 'valibot';
import type { Host } from '../collect/host.ts';
import { networkCheck } from './network.ts';

const instances = (readings: { instance?: string }[] = []) => readings.map((reading) => reading.instance);

test('network check reports rates per interface, loopback and container links excluded', async () => {
  const runs = await runSnapshots(
    networkCheck,
    [0, 1, 2, 3].map((snapshot) => fixtureHost('net-churn', snapshot)),
  );
  assert.deepEqual(runs[0], [], 'the first run only takes a baseline');
  assert.deepEqual(instances(runs[1]), ['eth0', 'wlan0']);
  const eth0 = runs[1]?.[0]?.metrics ?? {};
  assert.equal(eth0.rx_bytes_per_second, 125_000_000);
  assert.equal(eth0.tx_bytes_per_second, 12_500_000);
  assert.equal(eth0.rx_errors_per_second, 10);
  assert.equal(eth0.tx_dropped_per_second, 3);
  assert.equal(eth0.utilization_percent, 100);
  assert.equal(runs[1]?.[1]?.metrics.utilization_percent, undefined, 'no speed, no utilization');
  assertCheckContract(networkCheck, runs.flat());
});

test('network check never reports a negative or absurd rate across resets, churn and reappearance', async () => {
  const runs = await runSnapshots(
    networkCheck,
    [0, 1, 2, 3].map((snapshot) => fixtureHost('net-churn', snapshot)),
  );
  assert.deepEqual(instances(runs[2]), [], 'eth0 reset and eth1 is new: no rate for either');
  assert.deepEqual(
    instances(runs[3]),
    ['eth0'],
    'eth1 jumped beyond 10x its link speed; wlan0 came back without a baseline',
  );
  assert.equal(runs[3]?.[0]?.metrics.rx_bytes_per_second, 1_250_000);
  for (const reading of runs.flat()) for (const value of Object.values(reading.metrics)) assert.ok(value >= 0);
});

test('network check starts over when an interface name is reused with a new ifindex, within 30 s', async () => {
  const base = fixtureHost('net-churn', 0);
  let ifindex = '2';
  const host = (snapshot: number): Host => ({
    ...fixtureHost('net-churn', snapshot),
    tryReadText: (path) => (path.endsWith('eth0/ifindex') ? ifindex : base.tryReadText(path)),
  });
  const collect = networkCheck.create(v.parse(networkCheck.options, { include: ['eth0'] }));
  let now = 0;
  const context = (snapshot: number) => ({
    host: host(snapshot),
    signal: new AbortController().signal,
    monotonicMs: () => now,
  });
  await collect(context(0));
  now += 1000;
  assert.equal((await collect(context(1))).length, 1);
  ifindex = '9';
  now += 30_000;
  assert.deepEqual(
    await collect(context(1)),
    [],
    'the ifindex is re-read every 30 s and the new interface starts over',
  );
  now += 1000;
  assert.equal((await collect(context(1))).length, 1);
});

test('network check include and exclude globs can bring loopback back', async () => {
  const runs = await runSnapshots(networkCheck, [fixtureHost('net-churn', 0), fixtureHost('net-churn', 1)], {
    include: ['lo', 'veth*'],
    exclude: [],
  });
  assert.deepEqual(instances(runs[1]), ['lo', 'veth1a2b']);
  assert.equal(
    networkCheck.summarize(runs[1]?.[0] ?? { metrics: {} }),
    'lo: rx 9.8 KiB/s tx 9.8 KiB/s, 0.0 err/s, 0.0 drop/s',
  );
});

test('network check reports no rate over less than the minimum window and measures the next from the kept baseline', async () => {
  const collect = networkCheck.create(v.parse(networkCheck.options, { include: ['eth0'] }));
  let now = 0;
  const context = (snapshot: number) => ({
    host: fixtureHost('net-churn', snapshot),
    signal: new AbortController().signal,
    monotonicMs: () => now,
  });
  await collect(context(0));
  now += 2;
  assert.deepEqual(await collect(context(1)), [], 'no rate over 2 ms');
  now += 998;
  const [steady] = await runSnapshots(networkCheck, [fixtureHost('net-churn', 0), fixtureHost('net-churn', 1)], {
    include: ['eth0'],
  }).then((runs) => runs[1] ?? []);
  assert.deepEqual((await collect(context(1)))[0]?.metrics, steady?.metrics, 'the same as one second from snapshot 0');
});
