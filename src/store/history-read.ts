import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { NoInputError, UserError } from '../errors.ts';
import type { Status } from '../result.ts';
import { HOUR_MS } from './history-db.ts';
import { migrate, SCHEMA_VERSION } from './migrations.ts';
import { summarizeBucket, type Bucket } from './rollup.ts';
import { decodeSamples, type Samples } from './sample-codec.ts';

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

export function listSeries(db: Database.Database, filter: SeriesFilter): SeriesInfo[] {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.check !== undefined) {
    where.push('check_name = ?');
    params.push(filter.check);
  }
  if (filter.instance !== undefined) {
    where.push('instance = ?');
    params.push(filter.instance);
  }
  if (filter.metric !== undefined) {
    where.push('metric = ?');
    params.push(filter.metric);
  }
  return db
    .prepare(
      `SELECT id, check_name AS "check", instance, metric FROM series ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY check_name, instance, id`,
    )
    .all(...params) as SeriesInfo[];
}

/** Every sample of a series in [since, until), packed hours and the current one alike, in time order. */
export function readSamples(db: Database.Database, seriesId: number, since: number, until: number): Samples {
  const timestamps: number[] = [];
  const values: number[] = [];
  const chunks = db
    .prepare('SELECT data FROM chunks WHERE series_id = ? AND end_ts >= ? AND start_ts < ? ORDER BY start_ts')
    .raw()
    .iterate(seriesId, since, until) as Iterable<[Uint8Array]>;
  for (const [data] of chunks) {
    const decoded = decodeSamples(data);
    for (let index = 0; index < decoded.timestamps.length; index++) {
      const ts = decoded.timestamps[index]!;
      if (ts >= since && ts < until) {
        timestamps.push(ts);
        values.push(decoded.values[index]!);
      }
    }
  }
  const recent = db
    .prepare('SELECT ts, value FROM samples WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts')
    .raw()
    .iterate(seriesId, since, until) as Iterable<[number, number]>;
  for (const [ts, value] of recent) {
    // A chunk merged late may overlap the raw rows by a sample; time order is what matters downstream.
    if (timestamps.length > 0 && ts <= timestamps.at(-1)!) continue;
    timestamps.push(ts);
    values.push(value);
  }
  return { timestamps, values };
}

/** Hourly buckets over [since, until): the stored rollups, plus the hour still being written summarized on the fly. */
export function readBuckets(db: Database.Database, seriesId: number, since: number, until: number): TimedBucket[] {
  const from = Math.floor(since / HOUR_MS) * HOUR_MS;
  const buckets = db
    .prepare(
      'SELECT bucket_ts AS ts, count, min, max, sum, p95, last FROM rollups_1h WHERE series_id = ? AND bucket_ts >= ? AND bucket_ts < ? ORDER BY bucket_ts',
    )
    .all(seriesId, from, until) as TimedBucket[];
  const recent = db
    .prepare('SELECT ts, value FROM samples WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts')
    .raw()
    .all(seriesId, Math.max(since, (buckets.at(-1)?.ts ?? -HOUR_MS) + HOUR_MS), until) as [number, number][];
  let index = 0;
  while (index < recent.length) {
    const hour = Math.floor(recent[index]![0] / HOUR_MS) * HOUR_MS;
    const values: number[] = [];
    while (index < recent.length && recent[index]![0] < hour + HOUR_MS) values.push(recent[index++]![1]);
    buckets.push({ ts: hour, ...summarizeBucket(values)! });
  }
  return buckets;
}

export function readSpans(
  db: Database.Database,
  since: number,
  until: number,
  filter: Pick<SeriesFilter, 'check' | 'instance'>,
): SpanRow[] {
  const where = ['end_ts > ?', 'start_ts < ?'];
  const params: (string | number)[] = [since, until];
  if (filter.check !== undefined) {
    where.push('check_name = ?');
    params.push(filter.check);
  }
  if (filter.instance !== undefined) {
    where.push('instance = ?');
    params.push(filter.instance);
  }
  return db
    .prepare(
      `SELECT check_name AS "check", instance, status, start_ts AS start, end_ts AS "end", details, metric, peak FROM spans WHERE ${where.join(' AND ')} ORDER BY check_name, instance, start_ts`,
    )
    .all(...params) as SpanRow[];
}

/** The first and last time anything was recorded; undefined for an empty history. */
export function historyRange(db: Database.Database): { first: number; last: number } | undefined {
  const row = db
    .prepare(
      `SELECT min(coalesce((SELECT min(start_ts) FROM chunks), 9e15), coalesce((SELECT min(ts) FROM samples), 9e15)) AS first,
              max(coalesce((SELECT max(end_ts) FROM chunks), 0), coalesce((SELECT max(ts) FROM samples), 0)) AS last`,
    )
    .get() as { first: number; last: number };
  return row.last === 0 ? undefined : row;
}

/** The host the history was recorded on (one database per host). */
export function historyHost(db: Database.Database): string | undefined {
  return (db.prepare("SELECT value FROM meta WHERE key = 'host'").get() as { value: string } | undefined)?.value;
}
