/** One hour of one series, as `rollups_1h` keeps it. */
export interface Bucket {
  count: number;
  min: number;
  max: number;
  sum: number;
  p95: number;
  last: number;
}

/** The nearest-rank percentile (no interpolation: the answer is always a value that was measured). */
export function percentile(sorted: ArrayLike<number>, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** min/max/sum/p95/last of values in time order; undefined for none. */
export function summarizeBucket(values: readonly number[]): Bucket | undefined {
  if (values.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
  }
  const sorted = Float64Array.from(values).sort();
  return { count: values.length, min, max, sum, p95: percentile(sorted, 0.95), last: values.at(-1)! };
}
