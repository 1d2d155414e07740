import type Database from 'better-sqlite3';
import { chartGrid, mainMetricsFirst, reduceSeries, type ChartPoints } from '../charts/chart-data.ts';
import type { ChartEntry, ChartIncident, ChartSet } from '../charts/chart-set.ts';
import { HOUR_MS } from '../store/history-maintenance.ts';
import {
  listSeries,
  RAW_WINDOW_LIMIT_MS as RAW_LIMIT_MS,
  readBucketColumns,
  readSamplesOf,
  readSpans,
  type SeriesInfo,
} from '../store/history-read.ts';
import { historyError, parseTime, QueryError, type HistoryAnswer } from './history-api.ts';

/** The ranges the dashboard offers; any other window is asked with since and until. */
export const CHART_RANGES: Readonly<Record<string, number>> = {
  '15m': 15 * 60_000,
  '1h': HOUR_MS,
  '6h': 6 * HOUR_MS,
  '24h': 24 * HOUR_MS,
  '7d': 7 * 24 * HOUR_MS,
  '30d': 30 * 24 * HOUR_MS,
};
const MAX_COLUMNS = 1000;
const MAX_SERIES = 400;

/** What the server knows of a stored metric that the history does not: its unit, thresholds, and the main one. */
export interface ChartDescriber {
  describe: (check: string, instance: string, metric: string) => Pick<ChartEntry, 'unit' | 'warn' | 'crit'>;
  mainMetric: (check: string) => string | undefined;
}

function pointsOf(db: Database.Database, ids: number[], since: number, until: number) {
  const points = new Map<number, ChartPoints>();
  if (until - since <= RAW_LIMIT_MS) {
    for (const [id, samples] of readSamplesOf(db, ids, since, until))
      points.set(id, { time: samples.timestamps, sum: samples.values, min: samples.values, max: samples.values });
    return points;
  }
  for (const id of ids) {
    const hours = readBucketColumns(db, id, since, until);
    points.set(id, { time: hours.ts, sum: hours.sum, count: hours.count, min: hours.min, max: hours.max });
  }
  return points;
}

/**
 * One series per check instance: its check's main metric, or where that was never recorded (a network interface
 * with no link speed has no utilization) the first metric recorded for it.
 */
function mainSeries(series: SeriesInfo[], describer: ChartDescriber): SeriesInfo[] {
  const chosen = new Map<string, SeriesInfo>();
  for (const info of series) {
    const key = `${info.check}\0${info.instance}`;
    const current = chosen.get(key);
    if (!current || (info.metric === describer.mainMetric(info.check) && current.metric !== info.metric))
      chosen.set(key, info);
  }
  return [...chosen.values()];
}

/**
 * GET /api/v1/charts: every stored series (or those of `check`, `instance`), reduced for charts over a window —
 * `range` (15m, 1h, 6h, 24h, 7d, 30d, ending now) or `since`/`until` as /api/v1/history takes them — with the
 * incidents in it. `main=1` keeps only each check's main metric (the overview's sparklines); `columns` sets the
 * points per chart (default 400). The answer is a ChartSet (src/charts/chart-set.ts), the same the report embeds.
 */
export function answerChartsQuery(
  db: Database.Database,
  query: URLSearchParams,
  describer: ChartDescriber,
  now = Date.now(),
): HistoryAnswer {
  try {
    const rangeText = query.get('range');
    let since: number;
    let until: number;
    if (rangeText !== null) {
      const span = Object.hasOwn(CHART_RANGES, rangeText) ? CHART_RANGES[rangeText] : undefined;
      if (span === undefined)
        throw new QueryError(`range must be one of ${Object.keys(CHART_RANGES).join(', ')} (got "${rangeText}")`);
      until = now;
      since = now - span;
    } else {
      until = parseTime(query.get('until'), now, 'until', now);
      since = parseTime(query.get('since'), now, 'since', until - HOUR_MS);
    }
    if (!(since < until)) throw new QueryError('since must be before until');
    const columnsText = query.get('columns') ?? '400';
    const columns = Number(columnsText);
    if (!Number.isInteger(columns) || columns < 10 || columns > MAX_COLUMNS)
      throw new QueryError(`columns must be a whole number from 10 to ${MAX_COLUMNS} (got "${columnsText}")`);
    const filter = { check: query.get('check') ?? undefined, instance: query.get('instance') ?? undefined };
    let series = listSeries(db, filter);
    series = query.get('main') === '1' ? mainSeries(series, describer) : mainMetricsFirst(series, describer.mainMetric);
    if (series.length > MAX_SERIES)
      throw new QueryError(`${series.length} series match; narrow the query with check or instance`);
    const grid = chartGrid(since, until, columns);
    const points = pointsOf(
      db,
      series.map((info) => info.id),
      since,
      until,
    );
    const charts: ChartEntry[] = [];
    for (const info of series) {
      const found = points.get(info.id);
      const reduced = found ? reduceSeries(found, grid) : undefined;
      if (!reduced) continue;
      charts.push({
        check: info.check,
        instance: info.instance,
        metric: info.metric,
        ...describer.describe(info.check, info.instance, info.metric),
        ...('constant' in reduced ? { constant: reduced.constant } : { series: reduced }),
      });
    }
    const incidents: ChartIncident[] = readSpans(db, since, until, filter)
      .filter((span) => span.status !== 'OK')
      .map((span) => ({
        check: span.check,
        instance: span.instance,
        status: span.status as ChartIncident['status'],
        start: Math.max(span.start, since),
        end: Math.min(span.end, until),
      }));
    // The page chooses the zone it draws in (UTC unless its reader picks local time).
    const set: ChartSet = { grid, timeZone: 'UTC', charts, incidents };
    return { status: 200, body: Buffer.from(JSON.stringify(set)) };
  } catch (error) {
    if (error instanceof QueryError) return historyError(400, error.message);
    throw error;
  }
}
