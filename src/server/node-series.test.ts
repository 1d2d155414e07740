import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { createNodeSeries } from './node-series.ts';

const COUNTER = { name: 'node_test_reads_total', type: 'counter', help: 'Reads.' } as const;

test('createNodeSeries() reads at most once per maxAgeMs, and scrapes during a read share it', async () => {
  let reads = 0;
  let now = 0;
  const series = createNodeSeries({
    exporters: () => ({
      test: {
        collect: async () => {
          reads += 1;
          await new Promise((resolve) => setImmediate(resolve));
          return [{ family: COUNTER, value: reads }];
        },
      },
    }),
    context: () => ({ host: fixtureHost('vm-basic', 0), probeMount: () => Promise.resolve('none') }),
    maxAgeMs: 1000,
    monotonicMs: () => now,
  });
  const [first, second] = await Promise.all([series.text(), series.text()]);
  assert.equal(reads, 1, 'two concurrent scrapes, one read');
  assert.equal(first, second);
  now = 999;
  assert.match(await series.text(), /^node_test_reads_total 1$/m, 'still fresh');
  now = 1000;
  assert.match(await series.text(), /^node_test_reads_total 2$/m, 'a second later, read again');
});

test('createNodeSeries() reports a failing collector as success 0 and keeps the others', async () => {
  const series = createNodeSeries({
    exporters: () => ({
      broken: {
        collect: () => {
          throw new Error('no such file');
        },
      },
      fine: { collect: () => [{ family: COUNTER, value: 7 }] },
    }),
    context: () => ({ host: fixtureHost('vm-basic', 0), probeMount: () => Promise.resolve('none') }),
    maxAgeMs: 0,
    monotonicMs: () => 0,
  });
  const text = await series.text();
  assert.match(text, /^node_scrape_collector_success\{collector="broken"\} 0$/m);
  assert.match(text, /^node_scrape_collector_success\{collector="fine"\} 1$/m);
  assert.match(text, /^node_test_reads_total 7$/m);
});
