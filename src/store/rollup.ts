/** One hour of one series, as `rollups_1h` keeps it. */
export interface Bucket {
  count: number;
  min: number;
  max: number;
  sum: number;
  p95: number;
  last: number;
}

/**
 * The nearest-rank percentile (no interpolation: the answer is always a value that was measured), by quickselect
 * (Hoare) in O(n) on a copy instead of a sort. A 24-hour report takes
 * the p95 of ~50 series of 8,640 samples each; sorting them all was a fifth of its run time.
 */
export function selectPercentile(values: ArrayLike<number>, fraction: number, inPlace = false): number {
  const count = values.length;
  if (count === 0) return Number.NaN;
  // inPlace: the caller's Float64Array is reordered instead of copied (it must not need its order afterwards).
  const work = inPlace && values instanceof Float64Array ? values : Float64Array.from(values);
  const target = Math.min(count, Math.max(1, Math.ceil(fraction * count))) - 1;
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const pivot = work[(low + high) >>> 1]!;
    let left = low;
    let right = high;
    while (left <= right) {
      while (work[left]! < pivot) left++;
      while (work[right]! > pivot) right--;
      if (left <= right) {
        const swap = work[left]!;
        work[left] = work[right]!;
        work[right] = swap;
        left++;
        right--;
      }
    }
    if (target <= right) high = right;
    else if (target >= left) low = left;
    else break;
  }
  return work[target]!;
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
  return { count: values.length, min, max, sum, p95: selectPercentile(values, 0.95), last: values.at(-1)! };
}
