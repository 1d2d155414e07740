/**
 * What a chart is sent: a series reduced to what its pixels can show. The report and the dashboard both use it, and
 * the browser side (src/web/chart.ts) draws it. Times are column indices on one grid shared by all series of an
 * answer, values small integers times a quantum: a 30-day report of the default checks stays a few hundred KB.
 */

/** Points in time order: one per sample (a sample is its own sum, min and max) or one per hourly rollup. */
export interface ChartPoints {
  time: ArrayLike<number>;
  sum: ArrayLike<number>;
  /** Samples behind each point (rollups); 1 each when absent. */
  count?: ArrayLike<number>;
  min: ArrayLike<number>;
  max: ArrayLike<number>;
}

/** The x axis of an answer: `columns` equal slices of [from, to) in ms; column i is drawn at its middle. */
export interface ChartGrid {
  from: number;
  to: number;
  columns: number;
}

export interface ChartSeries {
  /** Column of each point; a gap is a point at the half column after the last before it, with avg null. */
  x: number[];
  /** Value = integer × q: four significant digits of the series' largest magnitude, all a chart can show. */
  q: number;
  avg: (number | null)[];
  /** Per-point min and max, present only when some point aggregates samples that differ. */
  lo?: (number | null)[];
  hi?: (number | null)[];
  /** Median spacing of the points in ms (the interval they were recorded at, for a reader of the API). */
  intervalMs: number;
}

/** A series that never changed in the window: a line of text, not a chart (cores, totals, link speed). */
export interface ConstantSeries {
  constant: number;
}

/** The columns a chart is reduced to: a 900-pixel chart shows a point every 2–3 pixels. */
export const CHART_COLUMNS = 400;

/**
 * The typical spacing of points, from at most 255 gaps spread over the series (a sort of every gap of 86,400
 * samples would cost more than the rest of the reduction). The median ignores a restart or two.
 */
export function typicalInterval(time: ArrayLike<number>): number {
  const gaps = time.length - 1;
  if (gaps < 1) return 0;
  const picks = Math.min(255, gaps);
  const sample = new Float64Array(picks);
  for (let index = 0; index < picks; index++) {
    const at = Math.floor((index * gaps) / picks);
    sample[index] = time[at + 1]! - time[at]!;
  }
  sample.sort();
  return sample[picks >> 1]!;
}

/**
 * Whether data is missing between points index−1 and index: their distance is more than twice the spacing on either
 * side of it. Local, not one interval for the series: after `poll_interval` went from 60 s to 2 s, the 60 s stretch
 * is still a line, and an outage is a gap in either stretch.
 */
function isGap(time: ArrayLike<number>, index: number): boolean {
  if (index === 0) return false;
  const distance = time[index]! - time[index - 1]!;
  const before = index >= 2 ? time[index - 1]! - time[index - 2]! : 0;
  const after = index + 1 < time.length ? time[index + 1]! - time[index]! : 0;
  const local = Math.max(before, after);
  return local > 0 && distance > 2 * local;
}

/** 10^(e−3) for the largest magnitude 10^e: values become integers of at most four digits. */
function quantumFor(largest: number): number {
  if (!(largest > 0) || !Number.isFinite(largest)) return 1;
  return 10 ** (Math.floor(Math.log10(largest)) - 3);
}

/**
 * Folds the points inside the grid into its columns (average, min, max per column) and marks a gap where the data
 * stops for more than twice the spacing around it (isGap). Consecutive samples are always joined, however sparse against the
 * columns: a sample every 60 s over a 30-day window is a line, not scattered dots. A series whose every point has
 * the same value comes back as a constant.
 */
export function reduceSeries(points: ChartPoints, grid: ChartGrid): ChartSeries | ConstantSeries | undefined {
  const width = (grid.to - grid.from) / grid.columns;
  const intervalMs = typicalInterval(points.time);
  const { time: times } = points;
  const columns: number[] = [];
  const sums: number[] = [];
  const mins: number[] = [];
  const maxes: number[] = [];
  const gapsBefore: boolean[] = [];
  let column = -1;
  let sum = 0;
  let count = 0;
  let low = Infinity;
  let high = -Infinity;
  let overallLow = Infinity;
  let overallHigh = -Infinity;
  const flush = (): void => {
    if (count === 0) return;
    sums.push(sum / count);
    mins.push(low);
    maxes.push(high);
  };
  for (let index = 0; index < points.time.length; index++) {
    const time = points.time[index]!;
    if (time < grid.from || time >= grid.to) continue;
    const at = Math.min(grid.columns - 1, Math.floor((time - grid.from) / width));
    if (at !== column) {
      flush();
      columns.push(at);
      gapsBefore.push(isGap(times, index));
      column = at;
      sum = 0;
      count = 0;
      low = Infinity;
      high = -Infinity;
    }
    const weight = points.count ? points.count[index]! : 1;
    sum += points.sum[index]!;
    count += weight;
    low = Math.min(low, points.min[index]!);
    high = Math.max(high, points.max[index]!);
    overallLow = Math.min(overallLow, low);
    overallHigh = Math.max(overallHigh, high);
  }
  flush();
  if (columns.length === 0) return undefined;
  if (overallLow === overallHigh) return { constant: overallLow };
  const q = quantumFor(Math.max(Math.abs(overallLow), Math.abs(overallHigh)));
  const scale = (value: number): number => Math.round(value / q);
  const series: ChartSeries = { x: [], q, avg: [], intervalMs };
  const lo: (number | null)[] = [];
  const hi: (number | null)[] = [];
  let spread = false;
  columns.forEach((at, index) => {
    if (gapsBefore[index] && index > 0) {
      series.x.push(columns[index - 1]! + 0.5);
      series.avg.push(null);
      lo.push(null);
      hi.push(null);
    }
    series.x.push(at);
    series.avg.push(scale(sums[index]!));
    const min = scale(mins[index]!);
    const max = scale(maxes[index]!);
    if (min !== max) spread = true;
    lo.push(min);
    hi.push(max);
  });
  if (spread) {
    series.lo = lo;
    series.hi = hi;
  }
  return series;
}

/** The grid over the part of a window that holds data, as the report and the dashboard draw it. */
export const chartGrid = (from: number, to: number, columns = CHART_COLUMNS): ChartGrid => ({
  from,
  to: Math.max(to, from + 1),
  columns,
});

/**
 * Series in check and instance order as stored, each instance's main metric first (cpu usage before the load
 * averages): what a reader looks for leads its group, in the report as on the dashboard.
 */
export function mainMetricsFirst<T extends { check: string; instance: string; metric: string }>(
  series: readonly T[],
  mainMetric: (check: string) => string | undefined,
): T[] {
  const isMain = (entry: T): number => (entry.metric === mainMetric(entry.check) ? 0 : 1);
  return series
    .map((entry, index) => ({ entry, index }))
    .sort(
      (a, b) =>
        a.entry.check.localeCompare(b.entry.check) ||
        a.entry.instance.localeCompare(b.entry.instance) ||
        isMain(a.entry) - isMain(b.entry) ||
        a.index - b.index,
    )
    .map(({ entry }) => entry);
}
