import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { NoInputError, UserError } from '../errors.ts';
import type { Status } from '../result.ts';
import { HOUR_MS } from './history-maintenance.ts';
import { migrate, SCHEMA_VERSION } from './migrations.ts';
import { summarizeBucket, type Bucket } from './rollup.ts';
import { decodeSamplesInto, firstTimestamp, sampleBuffer, type SampleBuffer, type Samples } from './sample-codec.ts';

/** Windows up to this read every sample; longer ones the hourly rollups (reports, /api/v1/history, charts). */
export const RAW_WINDOW_LIMIT_MS = 48 * HOUR_MS;

export interface SeriesInfo {
  id: number;
  check: string;
  instance: string;
  metric: string;
}

export interface SeriesFilter {
  check?: string | undefined;
  instance?: string | undefined;
  metric?: string | undefined;
}

export interface SpanRow {
  check: string;
  instance: string;
  status: Status;
  start: number;
  end: number;
  details: string;
  metric: string | null;
  peak: number | null;
}

export interface TimedBucket extends Bucket {
  /** Start of the hour. */
  ts: number;
}

/**
 * Opens the history for queries. Read-only unless the file is from an older Argus and must be migrated first; with
 * WAL a report never blocks the running loop, nor the loop the report.
 */
export function openHistoryForReading(path: string): Database.Database {
  if (!existsSync(path))
    throw new NoInputError(`No history at ${path}`, {
      hint: 'the status loop (`argus status`) and the agent record it; `argus status --once --history` records one cycle',
    });
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 2000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < SCHEMA_VERSION) {
      db.close();
      db = new Database(path, { fileMustExist: true });
      db.pragma('busy_timeout = 2000');
      migrate(db);
    } else migrate(db); // refuses a newer schema with a clear message
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`Cannot read the history database ${path}: ${(error as Error).message}`, {
      hint: 'a corrupt file is moved aside by the next `argus status` run, which starts a new one',
      cause: error,
    });
  }
  return db;
}

const FILTER_COLUMNS = { check: 'check_name', instance: 'instance', metric: 'metric' } as const;

/** WHERE terms for the filters that are set, after any fixed ones; values always go in as parameters. */
function filterClauses(
  filter: SeriesFilter,
  where: string[] = [],
  params: (string | number)[] = [],
): { where: string[]; params: (string | number)[] } {
  for (const [key, column] of Object.entries(FILTER_COLUMNS)) {
    const value = filter[key as keyof SeriesFilter];
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  return { where, params };
}

export function listSeries(db: Database.Database, filter: SeriesFilter): SeriesInfo[] {
  const { where, params } = filterClauses(filter);
  return db
    .prepare(
      `SELECT id, check_name AS "check", instance, metric FROM series ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY check_name, instance, id`,
    )
    .all(...params) as SeriesInfo[];
}

/** Statements prepared once per connection: a report asks the same questions for every series. */
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map<string, Database.Statement>()));
  let prepared = cache.get(sql);
  if (!prepared) cache.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}

/** The current hour's samples (one JSON row per cycle), decoded once per connection and split by series. */
const recentCache = new WeakMap<Database.Database, { version: string; bySeries: Map<number, Samples> }>();

function recentBySeries(db: Database.Database): Map<number, Samples> {
  // Valid while no cycle was added or packed: the newest row id and the row count say so.
  const version = JSON.stringify(statement(db, 'SELECT max(id), count(*) FROM recent').raw().get());
  const cached = recentCache.get(db);
  if (cached?.version === version) return cached.bySeries;
  const bySeries = new Map<number, Samples>();
  for (const [data] of db.prepare('SELECT data FROM recent ORDER BY ts').raw().iterate() as Iterable<[string]>) {
    for (const [id, ts, value] of JSON.parse(data) as [number, number, number][]) {
      let samples = bySeries.get(id);
      if (!samples) {
        samples = { timestamps: [], values: [] };
        bySeries.set(id, samples);
      }
      samples.timestamps.push(ts);
      samples.values.push(value);
    }
  }
  recentCache.set(db, { version, bySeries });
  return bySeries;
}

const NO_SAMPLES: Samples = { timestamps: [], values: [] };
const recentSamples = (db: Database.Database, seriesId: number): Samples =>
  recentBySeries(db).get(seriesId) ?? NO_SAMPLES;

export interface TypedSamples {
  timestamps: Float64Array;
  values: Float64Array;
}

/** Appends the current hour's samples after the packed ones; both ends of [since, until) apply. */
function finish(out: SampleBuffer, recent: Samples, since: number, until: number): TypedSamples {
  // A cycle that straddled an hour may already be packed in part; time order is what matters downstream.
  const after = out.length > 0 ? out.timestamps[out.length - 1]! : -Infinity;
  for (let index = 0; index < recent.timestamps.length; index++) {
    const ts = recent.timestamps[index]!;
    if (ts >= since && ts < until && ts > after) {
      out.timestamps[out.length] = ts;
      out.values[out.length++] = recent.values[index]!;
    }
  }
  return { timestamps: out.timestamps.subarray(0, out.length), values: out.values.subarray(0, out.length) };
}

/** Every sample of a series in [since, until), packed hours and the current one alike, in time order. */
export function readSamples(db: Database.Database, seriesId: number, since: number, until: number): TypedSamples {
  // Chunks start on the hour, so the (series_id, start_ts) index finds exactly the hours asked for.
  const chunks = statement(
    db,
    'SELECT data, count FROM chunks WHERE series_id = ? AND start_ts >= ? AND start_ts < ? ORDER BY start_ts',
  )
    .raw()
    .all(seriesId, Math.floor(since / HOUR_MS) * HOUR_MS, until) as [Uint8Array, number][];
  const recent = recentSamples(db, seriesId);
  let capacity = recent.timestamps.length;
  for (const [, count] of chunks) capacity += count;
  const out = sampleBuffer(capacity);
  for (const [data] of chunks) decodeSamplesInto(data, out, since, until);
  return finish(out, recent, since, until);
}

/**
 * readSamples() for many series at once: one statement over the window's chunks (the end_ts index) instead of one
 * per series, which in a one-shot report is most of the reading cost (the statement's first runs are cold).
 */
export function readSamplesOf(
  db: Database.Database,
  seriesIds: readonly number[],
  since: number,
  until: number,
): Map<number, TypedSamples> {
  const wanted = new Set(seriesIds);
  const rows = statement(
    db,
    // The window's hours through the end_ts index; ordering them here would make SQLite walk every chunk instead.
    'SELECT series_id, start_ts, data, count FROM chunks INDEXED BY chunks_by_end WHERE end_ts >= ? AND start_ts < ?',
  )
    .raw()
    .all(since, until) as [number, number, Uint8Array, number][];
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const capacity = new Map<number, number>();
  for (const [id, , , count] of rows) if (wanted.has(id)) capacity.set(id, (capacity.get(id) ?? 0) + count);
  const recent = recentBySeries(db);
  // One allocation for every series (a day of 50 series is ~7 MB): a fresh pair of arrays per series cost more in
  // allocation and GC than decoding did.
  const sizes = seriesIds.map((id) => (capacity.get(id) ?? 0) + (recent.get(id)?.timestamps.length ?? 0));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const allTimes = new Float64Array(total);
  const allValues = new Float64Array(total);
  const buffers = new Map<number, SampleBuffer>();
  let offset = 0;
  seriesIds.forEach((id, index) => {
    const size = sizes[index]!;
    buffers.set(id, {
      timestamps: allTimes.subarray(offset, offset + size),
      values: allValues.subarray(offset, offset + size),
      length: 0,
    });
    offset += size;
  });
  for (const [id, , data] of rows) {
    const out = buffers.get(id);
    if (out) decodeSamplesInto(data, out, since, until);
  }
  const result = new Map<number, TypedSamples>();
  for (const [id, out] of buffers) result.set(id, finish(out, recent.get(id) ?? NO_SAMPLES, since, until));
  return result;
}

/** Hourly buckets as parallel columns: what reports and charts fold, without an object per hour. */
export interface BucketColumns {
  /** Start of each hour. */
  ts: number[];
  count: number[];
  min: number[];
  max: number[];
  sum: number[];
  p95: number[];
  last: number[];
}

/** Hourly buckets over [since, until): the stored rollups, plus the hours not yet packed summarized on the fly. */
export function readBucketColumns(
  db: Database.Database,
  seriesId: number,
  since: number,
  until: number,
): BucketColumns {
  const from = Math.floor(since / HOUR_MS) * HOUR_MS;
  const columns: BucketColumns = { ts: [], count: [], min: [], max: [], sum: [], p95: [], last: [] };
  const add = (ts: number, bucket: Bucket): void => {
    columns.ts.push(ts);
    columns.count.push(bucket.count);
    columns.min.push(bucket.min);
    columns.max.push(bucket.max);
    columns.sum.push(bucket.sum);
    columns.p95.push(bucket.p95);
    columns.last.push(bucket.last);
  };
  // raw(): arrays instead of an object per row, a third of the cost for a month of hours.
  const rows = statement(
    db,
    'SELECT bucket_ts, count, min, max, sum, p95, last FROM rollups_1h WHERE series_id = ? AND bucket_ts >= ? AND bucket_ts < ? ORDER BY bucket_ts',
  )
    .raw()
    .all(seriesId, from, until) as [number, number, number, number, number, number, number][];
  for (const [ts, count, min, max, sum, p95, last] of rows) {
    columns.ts.push(ts);
    columns.count.push(count);
    columns.min.push(min);
    columns.max.push(max);
    columns.sum.push(sum);
    columns.p95.push(p95);
    columns.last.push(last);
  }
  const packedUntil = (columns.ts.at(-1) ?? -HOUR_MS) + HOUR_MS;
  for (const [hour, bucket] of unpackedHours(db, seriesId, Math.max(since, packedUntil), until)) add(hour, bucket);
  return columns;
}

/** The hours not packed yet (the current one, and the last until the next packing), summarized from their samples. */
function unpackedHours(db: Database.Database, seriesId: number, since: number, until: number): [number, Bucket][] {
  const recent = recentSamples(db, seriesId);
  const hours: [number, Bucket][] = [];
  let index = 0;
  while (index < recent.timestamps.length) {
    const ts = recent.timestamps[index]!;
    if (ts < since || ts >= until) {
      index++;
      continue;
    }
    const hour = Math.floor(ts / HOUR_MS) * HOUR_MS;
    const values: number[] = [];
    while (index < recent.timestamps.length && recent.timestamps[index]! < Math.min(hour + HOUR_MS, until))
      values.push(recent.values[index++]!);
    hours.push([hour, summarizeBucket(values)!]);
  }
  return hours;
}

/** What a report says of a series over many hours, without its hours: totals, the p95 estimate, the trend. */
export interface HoursSummary {
  samples: number;
  sum: number;
  min: number;
  max: number;
  /** Count-weighted 95th percentile of the hourly p95s: an upper estimate of the true p95. */
  p95: number;
  last: number;
  lastTime: number;
  /** Per slice of [trend.from, trend.to): the sum and count of the hours that start in it. */
  trendSum: Float64Array;
  trendCount: Float64Array;
}

/**
 * The same figures as folding readBucketColumns(), computed by SQLite: a month of hours is 720 rows per series,
 * and stepping through them in JavaScript was most of `argus report --since 30d` (40 of 165 ms for 55 series).
 * Only the p95 estimate needs the hours, and only two of their columns, sorted by SQLite.
 */
export function summarizeHours(
  db: Database.Database,
  seriesId: number,
  since: number,
  until: number,
  trend: { from: number; to: number; slices: number },
): HoursSummary | undefined {
  const from = Math.floor(since / HOUR_MS) * HOUR_MS;
  const where = 'FROM rollups_1h WHERE series_id = ? AND bucket_ts >= ? AND bucket_ts < ?';
  const [count, sum, min, max, lastHour] = statement(
    db,
    `SELECT SUM(count), SUM(sum), MIN(min), MAX(max), MAX(bucket_ts) ${where}`,
  )
    .raw()
    .get(seriesId, from, until) as [number | null, number, number, number, number | null];
  const summary: HoursSummary = {
    samples: count ?? 0,
    sum: count === null ? 0 : sum,
    min: count === null ? Infinity : min,
    max: count === null ? -Infinity : max,
    p95: Number.NaN,
    last: Number.NaN,
    lastTime: Number.NaN,
    trendSum: new Float64Array(trend.slices),
    trendCount: new Float64Array(trend.slices),
  };
  if (lastHour !== null) {
    summary.last = statement(db, 'SELECT last FROM rollups_1h WHERE series_id = ? AND bucket_ts = ?')
      .pluck()
      .get(seriesId, lastHour) as number;
    summary.lastTime = lastHour;
  }
  const width = (trend.to - trend.from) / trend.slices;
  const sliceOf = (hour: number): number => Math.min(trend.slices - 1, Math.floor((hour - trend.from) / width));
  const slices = statement(
    db,
    `SELECT MIN(CAST((bucket_ts - ?) / ? AS INTEGER), ?) AS slice, SUM(sum), SUM(count) ${where} AND bucket_ts >= ? GROUP BY slice`,
  )
    .raw()
    .all(trend.from, width, trend.slices - 1, seriesId, from, until, trend.from) as [number, number, number][];
  for (const [slice, sliceSum, sliceCount] of slices) {
    summary.trendSum[slice] = sliceSum;
    summary.trendCount[slice] = sliceCount;
  }
  const p95s = statement(db, `SELECT p95, count ${where} ORDER BY p95`).raw().all(seriesId, from, until) as [
    number,
    number,
  ][];
  for (const [hour, bucket] of unpackedHours(db, seriesId, Math.max(since, (lastHour ?? -HOUR_MS) + HOUR_MS), until)) {
    summary.samples += bucket.count;
    summary.sum += bucket.sum;
    summary.min = Math.min(summary.min, bucket.min);
    summary.max = Math.max(summary.max, bucket.max);
    summary.last = bucket.last;
    summary.lastTime = hour;
    if (hour >= trend.from) {
      summary.trendSum[sliceOf(hour)]! += bucket.sum;
      summary.trendCount[sliceOf(hour)]! += bucket.count;
    }
    const at = p95s.findIndex(([p95]) => p95 > bucket.p95);
    p95s.splice(at < 0 ? p95s.length : at, 0, [bucket.p95, bucket.count]);
  }
  if (summary.samples === 0) return undefined;
  let seen = 0;
  summary.p95 = (p95s.find(([, hourCount]) => (seen += hourCount) >= 0.95 * summary.samples) ?? p95s.at(-1)!)[0];
  return summary;
}

/** The same buckets as objects, for answers that list them (/api/v1/history). */
export function readBuckets(db: Database.Database, seriesId: number, since: number, until: number): TimedBucket[] {
  const columns = readBucketColumns(db, seriesId, since, until);
  return columns.ts.map((ts, index) => ({
    ts,
    count: columns.count[index]!,
    min: columns.min[index]!,
    max: columns.max[index]!,
    sum: columns.sum[index]!,
    p95: columns.p95[index]!,
    last: columns.last[index]!,
  }));
}

export function readSpans(
  db: Database.Database,
  since: number,
  until: number,
  filter: Pick<SeriesFilter, 'check' | 'instance'>,
): SpanRow[] {
  // Only check and instance: a span's metric is the one that breached (none for OK), so a metric filter passed
  // along with a report's query dropped every OK span and reported 0 s of OK.
  const { where, params } = filterClauses(
    { check: filter.check, instance: filter.instance },
    ['end_ts > ?', 'start_ts < ?'],
    [since, until],
  );
  return db
    .prepare(
      `SELECT check_name AS "check", instance, status, start_ts AS start, end_ts AS "end", details, metric, peak FROM spans WHERE ${where.join(' AND ')} ORDER BY check_name, instance, start_ts`,
    )
    .all(...params) as SpanRow[];
}

/**
 * The first and last time anything was recorded; undefined for an empty history. Every query here walks an index:
 * chunks are keyed by (series, hour) and have no index on the hour alone, so the first packed hour comes from the
 * rollups (written with the chunks, indexed by hour) and its chunks are looked up series by series. A scan of
 * chunks read the whole month of blobs and was most of a short report's time (52 of 105 ms).
 */
export function historyRange(db: Database.Database): { first: number; last: number } | undefined {
  const row = statement(
    db,
    `SELECT (SELECT min(bucket_ts) FROM rollups_1h) AS hour, (SELECT min(ts) FROM recent) AS recent,
            max(coalesce((SELECT max(end_ts) FROM chunks), 0), coalesce((SELECT max(ts) FROM recent), 0)) AS last`,
  ).get() as { hour: number | null; recent: number | null; last: number };
  if (row.last === 0) return undefined;
  let first = row.recent ?? Infinity;
  // A chunk starts on its hour; its first sample says when recording really began.
  if (row.hour !== null) {
    const firstHour = statement(
      db,
      // CROSS JOIN keeps series as the outer loop (SQLite's rule), so each lookup uses the (series, hour) key.
      'SELECT c.data FROM series s CROSS JOIN chunks c ON c.series_id = s.id AND c.start_ts = ?',
    )
      .raw()
      .all(row.hour) as [Uint8Array][];
    for (const [data] of firstHour) first = Math.min(first, firstTimestamp(data));
  }
  return { first, last: row.last };
}

/** The host the history was recorded on (one database per host). */
export function historyHost(db: Database.Database): string | undefined {
  return (db.prepare("SELECT value FROM meta WHERE key = 'host'").get() as { value: string } | undefined)?.value;
}
