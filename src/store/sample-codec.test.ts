import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectPercentile, summarizeBucket } from './rollup.ts';

/** The textbook nearest-rank percentile, as the reference quickselect must agree with. */
const percentile = (sorted: Float64Array, fraction: number): number =>
  sorted[Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length))) - 1]!;
import { decodeSamples, encodeSamples, firstTimestamp, quantize } from './sample-codec.ts';

test('quantize keeps integers exact and six significant digits of fractions', () => {
  assert.equal(quantize(25_276_514_304), 25_276_514_304);
  assert.equal(quantize(4.651162790697675), 4.65116);
  assert.equal(quantize(0.000123456789), 0.000123);
  assert.equal(quantize(123456.7), 123457);
  assert.equal(quantize(-2.3255813953488373), -2.32558);
  assert.equal(quantize(2 ** 60 + 0.5), 2 ** 60);
});

test('samples survive a round trip: steady and jittered timestamps, negatives, huge and tiny values', () => {
  const timestamps = [1_795_800_000_000];
  for (let index = 1; index < 400; index++) timestamps.push(timestamps.at(-1)! + 10_000 + ((index * 7) % 13) - 6);
  const values = timestamps.map((_, index) =>
    quantize(
      [index, -index * 1.5, Math.sin(index) * 100, 1e300, 5e-300, 2 ** 53 + 2, 0, 25_276_514_304 + index * 4096][
        index % 8
      ]!,
    ),
  );
  const decoded = decodeSamples(encodeSamples({ timestamps, values }));
  assert.deepEqual(decoded.timestamps, timestamps);
  assert.equal(firstTimestamp(encodeSamples({ timestamps, values })), timestamps[0]);
  assert.deepEqual(decoded.values, values);
});

test('a steady series packs to a few bytes per sample, an unchanged value to about two', () => {
  const timestamps = Array.from({ length: 360 }, (_, index) => 1_795_800_000_000 + index * 10_000);
  const percent = timestamps.map((_, index) => quantize(20 + Math.sin(index / 10) * 5 + (index % 7) / 3));
  const constant = timestamps.map(() => 0);
  const percentBytes = encodeSamples({ timestamps, values: percent }).length / timestamps.length;
  const constantBytes = encodeSamples({ timestamps, values: constant }).length / timestamps.length;
  assert.ok(percentBytes < 5, `percent series: ${percentBytes} B/sample`);
  assert.ok(constantBytes <= 2.1, `constant series: ${constantBytes} B/sample`);
});

test('a damaged chunk is reported, not decoded into garbage', () => {
  const bytes = encodeSamples({ timestamps: [1, 2, 3], values: [1.5, 2.5, 3.5] });
  assert.throws(() => decodeSamples(bytes.subarray(0, bytes.length - 2)), /ends early/);
  assert.throws(() => decodeSamples(Uint8Array.of(9, 0)), /unknown chunk format 9/);
  assert.throws(() => firstTimestamp(Uint8Array.of(9, 0)), /unknown chunk format 9/);
  assert.throws(() => firstTimestamp(Uint8Array.of(1, 1)), /ends early/);
  assert.throws(() => decodeSamples(new Uint8Array(0)), /ends early/);
  assert.throws(() => encodeSamples({ timestamps: [1], values: [] }), /differ in length/);
});

test('percentiles: quickselect agrees with sorting, nearest rank, on ties and odd shapes', () => {
  let seed = 7;
  const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
  for (const length of [1, 2, 3, 10, 99, 1000, 8640]) {
    for (const shape of ['random', 'ties', 'sorted', 'reversed'] as const) {
      const values = Array.from({ length }, (_, index) =>
        shape === 'random'
          ? random() * 100
          : shape === 'ties'
            ? Math.floor(random() * 3)
            : shape === 'sorted'
              ? index
              : -index,
      );
      const sorted = Float64Array.from(values).sort();
      for (const fraction of [0, 0.5, 0.95, 1])
        assert.equal(
          selectPercentile(values, fraction),
          percentile(sorted, fraction),
          `${shape} ${length} ${fraction}`,
        );
    }
  }
  const inPlace = Float64Array.from([5, 1, 4, 2, 3]);
  assert.equal(selectPercentile(inPlace, 0.95, true), 5);
  assert.notDeepEqual(Array.from(inPlace), [5, 1, 4, 2, 3], 'in place: the array given was reordered, not copied');
  const copied = Float64Array.from([5, 1, 4, 2, 3]);
  assert.equal(selectPercentile(copied, 0.5), 3);
  assert.deepEqual(Array.from(copied), [5, 1, 4, 2, 3]);
  assert.ok(Number.isNaN(selectPercentile([], 0.95)));
  assert.equal(summarizeBucket([]), undefined);
  assert.deepEqual(summarizeBucket([3, 1, 2]), { count: 3, min: 1, max: 3, sum: 6, p95: 3, last: 2 });
});
