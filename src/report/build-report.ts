import type { Database } from 'better-sqlite3';
import { SEVERITY, type Status } from '../result.ts';
import {
  historyHost,
  historyRange,
  listSeries,
  readBucketColumns,
  summarizeHours,
  readSamplesOf,
  RAW_WINDOW_LIMIT_MS,
  readSpans,
  type SeriesFilter,
  type SpanRow,
  type TypedSamples,
} from '../store/history-read.ts';
import { selectPercentile } from '../store/rollup.ts';
import { quantize } from '../store/sample-codec.ts';
import {
  chartGrid,
  mainMetricsFirst,
  reduceSeries,
  type ChartGrid,
  type ChartPoints,
  type ChartSeries,
  type ConstantSeries,
} from '../charts/chart-data.ts';

/** Points of a terminal sparkline. */
export const TREND_POINTS = 24;
/** Non-OK spans closer than this belong to one incident (a restart of Argus does not end an incident). */
const INCIDENT_GAP_MS = 5 * 60_000;

export interface MetricSummary {
  check: string;
  instance: string;
  metric: string;
  samples: number;
  min: number;
  avg: number;
  p95: number;
  max: number;
  last: number;
  lastTime: number;
  /** Averages over TREND_POINTS equal slices of the window (null where nothing was recorded). */
  trend: (number | null)[];
  /** The series reduced to the report's chart grid (charts/chart-data.ts); only when charts were asked for. */
  chart?: ChartSeries | ConstantSeries;
}

export interface StatusTime {
  check: string;
  instance: string;
  seconds: Record<Status, number>;
  incidents: number;
}

export interface Incident {
  check: string;
  instance: string;
  /** The worst status reached: CRIT over WARN over UNKNOWN. */
  status: Exclude<Status, 'OK'>;
  start: number;
  end: number;
  ongoing: boolean;
  metric: string | null;
  worstValue: number | null;
  details: string;
}

export interface Report {
  host: string | undefined;
  /** The zone of every time the report prints: "UTC" (the default), an IANA name or "local". */
  timeZone: string;
  since: number;
  until: number;
  /** The part of the window that holds data: trends and charts span this, not empty hours around it. */
  from: number;
  to: number;
  /** "raw": every sample (p95 exact); "hourly": rollups (p95 is the 95th percentile of the hourly p95s). */
  source: 'raw' | 'hourly';
  /** The x axis every chart of the report shares: [from, to) in columns. */
  grid: ChartGrid;
  metrics: MetricSummary[];
  statuses: StatusTime[];
  incidents: Incident[];
}

export interface ReportQuery extends SeriesFilter {
  since: number;
  until: number;
  /** Reduce each series for a chart (only the HTML page draws them). */
  charts?: boolean;
  /** Default "UTC". */
  timeZone?: string;
  /** A check's main metric, listed first in its group (checks/chart-lines.ts: mainMetricOf). */
  mainMetric?: (check: string) => string | undefined;
}

/** Parallel arrays: one entry per sample (raw) or per hour (rollups); a sample is its own sum, min and max. */
type Points = ChartPoints;

/**
 * Averages points (in time order) over `slices` equal parts of [since, until), null where empty: the terminal's
 * trend. The slice index only moves forward, so no division per point.
 */
function trendOf(since: number, until: number, slices: number, points: Points): (number | null)[] {
  const width = (until - since) / slices;
  const sums = new Float64Array(slices);
  const counts = new Float64Array(slices);
  let index = 0;
  let boundary = since + width;
  for (let point = 0; point < points.time.length; point++) {
    const time = points.time[point]!;
    if (time < since) continue;
    while (time >= boundary && index < slices - 1) {
      index++;
      boundary = since + (index + 1) * width;
    }
    sums[index]! += points.sum[point]!;
    counts[index]! += points.count ? points.count[point]! : 1;
  }
  return Array.from(counts, (count, index) => (count > 0 ? quantize(sums[index]! / count) : null));
}

function summarizeRaw({ timestamps, values }: TypedSamples) {
  if (values.length === 0) return undefined;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return {
    samples: values.length,
    min,
    max,
    avg: sum / values.length,
    // Left for last: the percentile reorders `values` in place (no copy of ~9,000 samples per series), so the
    // trend and chart slices, which read them in time order, must be taken first.
    p95: Number.NaN,
    finishP95: () => selectPercentile(values, 0.95, true),
    last: values[values.length - 1]!,
    lastTime: timestamps[timestamps.length - 1]!,
    points: { time: timestamps, sum: values, min: values, max: values } satisfies Points,
  };
}

function summarizeHourly(db: Database, id: number, query: ReportQuery) {
  const hours = readBucketColumns(db, id, query.since, query.until);
  const length = hours.ts.length;
  if (length === 0) return undefined;
  let samples = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let index = 0; index < length; index++) {
    samples += hours.count[index]!;
    sum += hours.sum[index]!;
    if (hours.min[index]! < min) min = hours.min[index]!;
    if (hours.max[index]! > max) max = hours.max[index]!;
  }
  // Count-weighted 95th percentile of the hourly p95s: an upper estimate of the true p95, never below it by much.
  const byP95 = Array.from({ length }, (_, index) => index).sort((a, b) => hours.p95[a]! - hours.p95[b]!);
  let seen = 0;
  const at = byP95.find((index) => (seen += hours.count[index]!) >= 0.95 * samples) ?? byP95.at(-1)!;
  return {
    finishP95: undefined,
    samples,
    min,
    max,
    avg: sum / samples,
    p95: hours.p95[at]!,
    last: hours.last[length - 1]!,
    lastTime: hours.ts[length - 1]!,
    points: { time: hours.ts, sum: hours.sum, count: hours.count, min: hours.min, max: hours.max } satisfies Points,
  };
}

/** Consecutive non-OK spans of one result, without a gap, are one incident; its worst span names the worst value. */
function findIncidents(spans: SpanRow[], until: number, lastRecorded: number): Incident[] {
  const incidents: Incident[] = [];
  let current: Incident | undefined;
  let worst: SpanRow | undefined;
  const close = () => {
    if (current) incidents.push(current);
    current = undefined;
  };
  spans.forEach((span, index) => {
    const previous = spans[index - 1];
    const sameResult = previous && previous.check === span.check && previous.instance === span.instance;
    if (!sameResult || span.status === 'OK' || (current && span.start - current.end > INCIDENT_GAP_MS)) close();
    if (span.status === 'OK') return;
    const next = spans[index + 1];
    const isLastOfResult = !next || next.check !== span.check || next.instance !== span.instance;
    const end = Math.min(span.end, until);
    if (!current) {
      current = {
        check: span.check,
        instance: span.instance,
        status: span.status,
        start: span.start,
        end,
        ongoing: false,
        metric: span.metric,
        worstValue: span.peak,
        details: span.details,
      };
      worst = span;
    } else {
      current.end = end;
      const worse =
        !worst ||
        SEVERITY[span.status] > SEVERITY[worst.status] ||
        (span.status === worst.status && (span.peak ?? -Infinity) > (worst.peak ?? -Infinity));
      if (worse) {
        worst = span;
        current.status = span.status;
        current.metric = span.metric;
        current.worstValue = span.peak;
        current.details = span.details;
      }
    }
    current.ongoing = isLastOfResult && span.end >= lastRecorded;
  });
  close();
  return incidents.sort((a, b) => a.start - b.start);
}

function statusTimes(spans: SpanRow[], query: ReportQuery, incidents: Incident[]): StatusTime[] {
  const byResult = new Map<string, StatusTime>();
  for (const span of spans) {
    const key = `${span.check}\0${span.instance}`;
    let entry = byResult.get(key);
    if (!entry) {
      entry = {
        check: span.check,
        instance: span.instance,
        seconds: { OK: 0, WARN: 0, CRIT: 0, UNKNOWN: 0 },
        incidents: 0,
      };
      byResult.set(key, entry);
    }
    const overlap = Math.min(span.end, query.until) - Math.max(span.start, query.since);
    if (overlap > 0) entry.seconds[span.status] += overlap / 1000;
  }
  for (const incident of incidents) {
    const entry = byResult.get(`${incident.check}\0${incident.instance}`);
    if (entry) entry.incidents += 1;
  }
  return [...byResult.values()];
}

/** Everything `argus report` prints, in every format, from one pass over the history. */
export function buildReport(db: Database, query: ReportQuery): Report {
  const source = query.until - query.since > RAW_WINDOW_LIMIT_MS ? 'hourly' : 'raw';
  const range = historyRange(db);
  const from = Math.max(query.since, range?.first ?? query.since);
  const to = Math.max(from + 1000, Math.min(query.until, (range?.last ?? query.until) + 1));
  const grid = chartGrid(from, to);
  const metrics: MetricSummary[] = [];
  let lastRecorded = 0;
  const allSeries = mainMetricsFirst(listSeries(db, query), query.mainMetric ?? (() => undefined));
  const raw =
    source === 'raw'
      ? readSamplesOf(
          db,
          allSeries.map((series) => series.id),
          query.since,
          query.until,
        )
      : undefined;
  for (const series of allSeries) {
    if (source === 'hourly' && !query.charts) {
      // No chart to draw: SQLite sums the hours (history-read.ts summarizeHours).
      const hours = summarizeHours(db, series.id, query.since, query.until, { from, to, slices: TREND_POINTS });
      if (!hours) continue;
      metrics.push({
        check: series.check,
        instance: series.instance,
        metric: series.metric,
        samples: hours.samples,
        min: hours.min,
        max: hours.max,
        avg: hours.sum / hours.samples,
        p95: hours.p95,
        last: hours.last,
        lastTime: hours.lastTime,
        trend: Array.from(hours.trendCount, (count, slice) =>
          count > 0 ? quantize(hours.trendSum[slice]! / count) : null,
        ),
      });
      lastRecorded = Math.max(lastRecorded, hours.lastTime);
      continue;
    }
    const samples = raw?.get(series.id);
    const summary = samples ? summarizeRaw(samples) : summarizeHourly(db, series.id, query);
    if (!summary) continue;
    const { points: all, finishP95, ...stats } = summary;
    // Before the p95: finishP95() reorders the raw values in place.
    const chart = query.charts ? reduceSeries(all, grid) : undefined;
    const trend = trendOf(from, to, TREND_POINTS, all);
    metrics.push({
      check: series.check,
      instance: series.instance,
      metric: series.metric,
      ...stats,
      p95: finishP95 ? finishP95() : stats.p95,
      trend,
      ...(chart ? { chart } : {}),
    });
    lastRecorded = Math.max(lastRecorded, stats.lastTime);
  }
  const spans = readSpans(db, query.since, query.until, query);
  const incidents = findIncidents(spans, query.until, lastRecorded);
  return {
    host: historyHost(db),
    timeZone: query.timeZone ?? 'UTC',
    since: query.since,
    until: query.until,
    from,
    to,
    source,
    grid,
    metrics,
    statuses: statusTimes(spans, query, incidents),
    incidents,
  };
}
