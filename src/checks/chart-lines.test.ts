import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mainMetricOf, mainMetrics, metricLines, thresholdLines } from './chart-lines.ts';

test('threshold lines: a number is one line, a Nagios range its finite bounds, a bad range none', () => {
  assert.deepEqual(thresholdLines(90), [90]);
  assert.deepEqual(thresholdLines('10:'), [10]);
  assert.deepEqual(thresholdLines('@10:20'), [10, 20]);
  assert.deepEqual(thresholdLines('~:5'), [5]);
  assert.deepEqual(thresholdLines('15'), [15], 'the implied start 0 is not drawn');
  assert.deepEqual(thresholdLines('x:y'), []);
  assert.deepEqual(thresholdLines(undefined), []);
});

test('a stored metric gets its unit and the thresholds in force for its instance; unknown checks get nothing', () => {
  const thresholds = { disk: { warn: 70, instances: { '/boot': { crit: '@0:5' } } } };
  assert.deepEqual(metricLines('disk', '/', 'used_percent', thresholds), { unit: 'percent', warn: [70], crit: [90] });
  assert.deepEqual(metricLines('disk', '/boot', 'used_percent', thresholds), {
    unit: 'percent',
    warn: [70],
    crit: [0, 5],
  });
  assert.deepEqual(metricLines('disk', '/', 'free_bytes', thresholds), { unit: 'bytes' });
  assert.deepEqual(metricLines('cpu', '', 'load1', {}), { unit: 'load' });
  assert.deepEqual(metricLines('my_plugin', 'x', 'latency', {}), {});
  assert.equal(mainMetricOf('ram'), 'used_percent');
  assert.equal(mainMetricOf('nosuch'), undefined);
  assert.equal(mainMetrics().disk, 'used_percent');
});
