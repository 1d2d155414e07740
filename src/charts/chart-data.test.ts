import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mainMetricsFirst, reduceSeries, typicalInterval, type ChartSeries } from './chart-data.ts';
import { formatValue } from './format-value.ts';

const MINUTE = 60_000;
const samples = (times: number[], value: (index: number) => number) => {
  const values = times.map((_, index) => value(index));
  return { time: times, sum: values, min: values, max: values };
};
const values = (series: ChartSeries): (number | null)[] =>
  series.avg.map((value) => (value === null ? null : value * series.q));

test('a sample every minute over 12 hours is one joined line, not dots between empty columns', () => {
  const times = Array.from({ length: 720 }, (_, index) => index * MINUTE);
  const series = reduceSeries(
    samples(times, (index) => 10 + (index % 7)),
    { from: 0, to: 720 * MINUTE, columns: 400 },
  );
  assert.ok(series && 'x' in series);
  assert.equal(series.intervalMs, MINUTE);
  assert.ok(!series.avg.includes(null), 'no gap: consecutive samples are joined however many columns lie between');
  assert.ok(series.x.length > 300 && series.x.length <= 400);
  assert.ok(series.lo && series.hi, 'points that fold two samples carry their min and max');
});

test('sparse samples over a long window are joined too: 30 points across 400 columns', () => {
  const times = Array.from({ length: 30 }, (_, index) => index * 60 * MINUTE);
  const series = reduceSeries(
    samples(times, (index) => index),
    { from: 0, to: 30 * 60 * MINUTE, columns: 400 },
  );
  assert.ok(series && 'x' in series);
  assert.equal(series.x.length, 30);
  assert.ok(!series.avg.includes(null));
  assert.equal(series.lo, undefined, 'no band where every point is one sample');
});

test('a gap longer than twice the interval breaks the line; a late sample within it does not', () => {
  const times = [0, 1, 2, 3, 4.5, 5.5, 20, 21, 22].map((minute) => minute * MINUTE);
  const series = reduceSeries(
    samples(times, (index) => index),
    {
      from: 0,
      to: 23 * MINUTE,
      columns: 23,
    },
  );
  assert.ok(series && 'x' in series);
  assert.deepEqual(values(series), [0, 1, 2, 3, 4, 5, null, 6, 7, 8]);
  assert.equal(series.x[6], series.x[5]! + 0.5, 'the gap sits just after the last point before it');
});

test('a gap is judged by the spacing around it: a changed interval is no gap, an outage in either stretch is', () => {
  // Every 60 s for 10 minutes, then every 2 s (poll_interval changed), with a 30 s outage in the 2 s stretch.
  const slow = Array.from({ length: 10 }, (_, index) => index * MINUTE);
  const fast = Array.from({ length: 30 }, (_, index) => 10 * MINUTE + index * 2000);
  const later = Array.from({ length: 10 }, (_, index) => 10 * MINUTE + 90_000 + index * 2000);
  const times = [...slow, ...fast, ...later];
  const series = reduceSeries(
    samples(times, (index) => index),
    { from: 0, to: 12 * MINUTE, columns: 10_000 },
  );
  assert.ok(series && 'x' in series);
  assert.equal(series.avg.filter((value) => value === null).length, 1, 'one gap: the outage');
  assert.equal(values(series).indexOf(null), 40, 'after the last sample before the outage');
});

test('values keep four significant digits of the largest, as integers; constants are not charted', () => {
  const times = [0, MINUTE, 2 * MINUTE];
  const bytes = reduceSeries(
    samples(times, (index) => [1_234_567_890, 987_654_321, 5][index]!),
    {
      from: 0,
      to: 3 * MINUTE,
      columns: 3,
    },
  );
  assert.ok(bytes && 'x' in bytes);
  assert.equal(bytes.q, 1_000_000);
  assert.deepEqual(bytes.avg, [1235, 988, 0]);
  assert.deepEqual(
    reduceSeries(
      samples(times, () => 8),
      { from: 0, to: 3 * MINUTE, columns: 3 },
    ),
    { constant: 8 },
  );
  assert.equal(
    reduceSeries(
      samples(times, () => 8),
      { from: 10 * MINUTE, to: 20 * MINUTE, columns: 3 },
    ),
    undefined,
  );
});

test('hourly rollups: counts weight the average; min and max come from the rollups', () => {
  const hour = 60 * MINUTE;
  const series = reduceSeries(
    { time: [0, hour], sum: [600, 60], count: [60, 60], min: [5, 0], max: [20, 2] },
    { from: 0, to: 2 * hour, columns: 1 },
  );
  assert.ok(series && 'x' in series);
  assert.deepEqual(values(series), [5.5]);
  assert.deepEqual([series.lo![0]! * series.q, series.hi![0]! * series.q], [0, 20]);
});

test('the typical interval is the median spacing, unmoved by a restart', () => {
  assert.equal(typicalInterval([0, 10, 20, 30, 1000, 1010, 1020]), 10);
  assert.equal(typicalInterval([5]), 0);
});

test('values are formatted by unit for axes and legends', () => {
  assert.equal(formatValue('percent', 12.34), '12 %');
  assert.equal(formatValue('percent', 2.34), '2.3 %');
  assert.equal(formatValue('bytes', 1536), '1.5 KiB');
  assert.equal(formatValue('bytes_per_second', 2048), '2.0 KiB/s');
  assert.equal(formatValue('celsius', 61.25), '61.3 °C');
  assert.equal(formatValue('per_second', 1234.5), '1235/s');
  assert.equal(formatValue('seconds', 0.5), '0.5 s');
  assert.equal(formatValue('watts', 250), '250 W');
  assert.equal(formatValue(undefined, 0.456), '0.456');
});

test('each instance lists its main metric first, groups in check and instance order, the rest as stored', () => {
  const series = [
    { check: 'disk', instance: '/', metric: 'free_bytes' },
    { check: 'cpu', instance: '', metric: 'load1' },
    { check: 'cpu', instance: '', metric: 'usage_percent' },
    { check: 'disk', instance: '/', metric: 'used_percent' },
    { check: 'cpu', instance: '', metric: 'cores' },
  ];
  const main = (check: string) => ({ cpu: 'usage_percent', disk: 'used_percent' })[check];
  assert.deepEqual(
    mainMetricsFirst(series, main).map((entry) => `${entry.check} ${entry.metric}`),
    ['cpu usage_percent', 'cpu load1', 'cpu cores', 'disk used_percent', 'disk free_bytes'],
  );
});
