import type Database from 'better-sqlite3';
import { summarizeBucket } from './rollup.ts';
import { decodeSamples, encodeSamples } from './sample-codec.ts';

/** History is packed per series and hour: a chunk and its rollup cover one hour. */
export const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Each prune deletes at most this share of a table's rows, so no clock jump can wipe the history in one go. */
export const MAX_PRUNE_FRACTION = 0.1;

/**
 * Packs every finished hour of raw samples (the `recent` rows, one per cycle) into one chunk per series and hour with
 * its hourly rollup. A late sample for an hour already packed is merged into its chunk.
 */
export function packFinishedHours(db: Database.Database): number {
  const newest = db.prepare('SELECT max(ts) AS ts FROM recent').get() as { ts: number | null };
  if (newest.ts === null) return 0;
  // Whole cycles only: one that straddles the hour waits for the next pass, which merges it into its chunks.
  const hourEnd = Math.floor(newest.ts / HOUR_MS) * HOUR_MS;
  const rows = db.prepare('SELECT data FROM recent WHERE ts < ?').raw().all(hourEnd) as [string][];
  if (rows.length === 0) return 0;
  const groups = new Map<string, { seriesId: number; bucket: number; timestamps: number[]; values: number[] }>();
  let count = 0;
  for (const [data] of rows) {
    for (const [seriesId, ts, value] of JSON.parse(data) as [number, number, number][]) {
      const bucket = Math.floor(ts / HOUR_MS) * HOUR_MS;
      const key = `${seriesId}:${bucket}`;
      let group = groups.get(key);
      if (!group) {
        group = { seriesId, bucket, timestamps: [], values: [] };
        groups.set(key, group);
      }
      group.timestamps.push(ts);
      group.values.push(value);
      count++;
    }
  }
  const existing = db.prepare<[number, number], { data: Uint8Array }>(
    'SELECT data FROM chunks WHERE series_id = ? AND start_ts = ?',
  );
  const putChunk = db.prepare(
    'INSERT OR REPLACE INTO chunks (series_id, start_ts, end_ts, count, data) VALUES (?, ?, ?, ?, ?)',
  );
  const putRollup = db.prepare(
    'INSERT OR REPLACE INTO rollups_1h (series_id, bucket_ts, count, min, max, sum, p95, last) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const group of groups.values()) {
    const packed = existing.get(group.seriesId, group.bucket);
    const merged = mergeSamples(packed ? decodeSamples(packed.data) : { timestamps: [], values: [] }, group);
    putChunk.run(
      group.seriesId,
      group.bucket,
      merged.timestamps.at(-1)!,
      merged.timestamps.length,
      encodeSamples(merged),
    );
    const rollup = summarizeBucket(merged.values)!;
    putRollup.run(
      group.seriesId,
      group.bucket,
      rollup.count,
      rollup.min,
      rollup.max,
      rollup.sum,
      rollup.p95,
      rollup.last,
    );
  }
  db.prepare('DELETE FROM recent WHERE ts < ?').run(hourEnd);
  return count;
}

/**
 * Deletes what is past retention. The cutoff comes from the data, not only the clock: a clock jumped a year ahead
 * must not make all history "old". Each table loses at most MAX_PRUNE_FRACTION of its rows per run, oldest first.
 */
export function pruneHistory(db: Database.Database, options: { retentionMs: number; nowMs: number }): number {
  const newest = db
    .prepare(
      'SELECT max(coalesce((SELECT max(ts) FROM recent), 0), coalesce((SELECT max(end_ts) FROM chunks), 0)) AS ts',
    )
    .get() as { ts: number };
  if (newest.ts === 0) return 0;
  // The clock may run at most a day (or half the retention, when that is shorter) ahead of the newest data: with a
  // short retention, a day's allowance would otherwise put the cutoff past the newest sample.
  const allowance = Math.min(DAY_MS, options.retentionMs / 2);
  const cutoff = Math.min(options.nowMs, newest.ts + allowance) - options.retentionMs;
  let pruned = 0;
  const bounded = (table: string, key: string, timeColumn: string, olderThan: number): void => {
    const total = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const limit = Math.max(1, Math.ceil(total * MAX_PRUNE_FRACTION));
    pruned += db
      .prepare(
        `DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE ${timeColumn} < ? ORDER BY ${timeColumn} LIMIT ?)`,
      )
      .run(olderThan, limit).changes;
  };
  bounded('chunks', 'id', 'end_ts', cutoff);
  bounded('rollups_1h', 'series_id, bucket_ts', 'bucket_ts', cutoff - HOUR_MS);
  bounded('recent', 'id', 'ts', cutoff);
  bounded('spans', 'id', 'end_ts', cutoff);
  return pruned;
}

function mergeSamples(
  packed: { timestamps: number[]; values: number[] },
  fresh: { timestamps: number[]; values: number[] },
): { timestamps: number[]; values: number[] } {
  const byTime = new Map<number, number>();
  packed.timestamps.forEach((ts, index) => byTime.set(ts, packed.values[index]!));
  fresh.timestamps.forEach((ts, index) => byTime.set(ts, fresh.values[index]!));
  const timestamps = [...byTime.keys()].sort((a, b) => a - b);
  return { timestamps, values: timestamps.map((ts) => byTime.get(ts)!) };
}
