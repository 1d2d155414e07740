import type Database from 'better-sqlite3';
import { parseDuration } from '../schema/duration.ts';
import { HOUR_MS } from '../store/history-maintenance.ts';
import { listSeries, RAW_WINDOW_LIMIT_MS as RAW_LIMIT_MS, readBuckets, readSamples } from '../store/history-read.ts';

/** What one answer may hold: series matched, and points over all series (≈ 30 bytes of JSON each). */
export const HISTORY_LIMITS = { maxSeries: 200, maxPoints: 100_000, defaultPointsPerSeries: 500 } as const;

export interface HistoryAnswer {
  status: number;
  body: Buffer;
}

export class QueryError extends Error {}

const json = (status: number, value: unknown): HistoryAnswer => ({
  status,
  body: Buffer.from(`${JSON.stringify(value)}\n`),
});

/** The API's error document: `{"status":"error","error":"…"}`, as Prometheus' HTTP API shapes it. */
export const historyError = (status: number, message: string): HistoryAnswer =>
  json(status, { status: 'error', error: message });

/** History is never older than its longest retention (3650 days), and no clock reads past year 9999. */
const MAX_AGO_MS = 3650 * 86_400_000;
const LATEST_MS = Date.UTC(9999, 11, 31);

export function parseTime(text: string | null, now: number, name: string, fallback: number): number {
  if (text === null || text === '') return fallback;
  let ms: number;
  // A bare number is Unix seconds, as in Prometheus' API; a duration needs its unit ("90s", "24h").
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else if (parseDuration(text) !== undefined) {
    const ago = (parseDuration(text) ?? 0) * 1000;
    if (ago > MAX_AGO_MS) throw new QueryError(`${name} must be at most 3650d ago (got "${text}")`);
    ms = now - ago;
  } else if (/^\d{4}-\d{2}-\d{2}/.test(text) && Number.isFinite(Date.parse(text))) ms = Date.parse(text);
  else throw new QueryError(`${name} must be a duration ago ("24h"), an ISO-8601 time or Unix seconds (got "${text}")`);
  if (!(ms >= 0 && ms <= LATEST_MS)) throw new QueryError(`${name} must fall between 1970 and 9999 (got "${text}")`);
  return ms;
}

/**
 * Averages per step: [step start in ms, mean of the values in it], empty steps left out. Steps count from `since`,
 * as Prometheus evaluates a range query at since + k·step: counted from 1970, a step longer than the window put
 * every point in 1970.
 */
function bucketAverages(
  timestamps: ArrayLike<number>,
  values: ArrayLike<number>,
  counts: ArrayLike<number> | undefined,
  steps: { sinceMs: number; stepMs: number },
): [number, number][] {
  const { sinceMs, stepMs } = steps;
  const points: [number, number][] = [];
  let start = NaN;
  let sum = 0;
  let weight = 0;
  for (let index = 0; index < timestamps.length; index++) {
    const bucket = sinceMs + Math.floor((timestamps[index]! - sinceMs) / stepMs) * stepMs;
    if (bucket !== start) {
      if (weight > 0) points.push([start, sum / weight]);
      start = bucket;
      sum = 0;
      weight = 0;
    }
    const count = counts ? counts[index]! : 1;
    sum += values[index]!;
    weight += count;
  }
  if (weight > 0) points.push([start, sum / weight]);
  return points;
}

/**
 * GET /api/v1/history: the stored series matching check, instance and metric over [since, until), averaged per
 * step. Windows over 48 h come from the hourly rollups (step at least 1 h). Answers are bounded: too many series
 * or points is a 400 that says how to narrow the query, never a response of unbounded size.
 */
export function answerHistoryQuery(db: Database.Database, query: URLSearchParams, now = Date.now()): HistoryAnswer {
  try {
    const until = parseTime(query.get('until'), now, 'until', now);
    const since = parseTime(query.get('since'), now, 'since', until - HOUR_MS);
    if (!(since < until)) throw new QueryError('since must be before until');
    const filter = {
      check: query.get('check') ?? undefined,
      instance: query.get('instance') ?? undefined,
      metric: query.get('metric') ?? undefined,
    };
    const series = listSeries(db, filter);
    if (series.length > HISTORY_LIMITS.maxSeries)
      throw new QueryError(`${series.length} series match; narrow the query with check, instance or metric`);
    const rollups = until - since > RAW_LIMIT_MS;
    const stepText = query.get('step');
    let stepMs: number;
    if (stepText === null || stepText === '') {
      stepMs = Math.max(1000, Math.ceil((until - since) / HISTORY_LIMITS.defaultPointsPerSeries / 1000) * 1000);
    } else {
      const seconds = parseDuration(stepText);
      if (seconds === undefined || seconds <= 0)
        throw new QueryError(`step must be a duration such as "60s" (got "${stepText}")`);
      stepMs = seconds * 1000;
    }
    if (rollups) stepMs = Math.max(stepMs, HOUR_MS);
    const pointsPerSeries = Math.ceil((until - since) / stepMs);
    if (pointsPerSeries * Math.max(series.length, 1) > HISTORY_LIMITS.maxPoints)
      throw new QueryError(
        `${series.length} series × ${pointsPerSeries} steps exceeds ${HISTORY_LIMITS.maxPoints} points; raise step or narrow the query`,
      );
    const data = series.map((info) => {
      let points: [number, number][];
      if (rollups) {
        const buckets = readBuckets(db, info.id, since, until);
        points = bucketAverages(
          buckets.map((bucket) => bucket.ts),
          buckets.map((bucket) => bucket.sum),
          buckets.map((bucket) => bucket.count),
          { sinceMs: since, stepMs },
        );
      } else {
        const samples = readSamples(db, info.id, since, until);
        points = bucketAverages(samples.timestamps, samples.values, undefined, { sinceMs: since, stepMs });
      }
      return { check: info.check, instance: info.instance, metric: info.metric, points };
    });
    return json(200, {
      status: 'success',
      data: { since, until, step_seconds: stepMs / 1000, source: rollups ? 'hourly rollups' : 'samples', series: data },
    });
  } catch (error) {
    if (error instanceof QueryError) return historyError(400, error.message);
    throw error;
  }
}
