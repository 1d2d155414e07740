import type { Database } from 'better-sqlite3';
import { UserError } from '../errors.ts';
import { decodeSamples } from './sample-codec.ts';
import { summarizeBucket } from './rollup.ts';

/**
 * Schema versions, applied in order inside one transaction each; `PRAGMA user_version` holds the last one applied.
 * A released step is never edited: a change is a new step, so every older database can be brought forward.
 */
export const MIGRATIONS: readonly ((db: Database) => void)[] = [
  // 1: series are named once. The current hour is one row per cycle, appended: a commit touches the last page or
  // two, where a row per sample keyed by series would rewrite a page per series every cycle (~200 KB of WAL).
  // Finished hours are packed per series and hour (src/store/sample-codec.ts), in a rowid table because ~1 KB
  // rows in a WITHOUT ROWID table spill to overflow pages. Status is kept as spans, not per cycle.
  (db) =>
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        check_name TEXT NOT NULL,
        instance TEXT NOT NULL,
        metric TEXT NOT NULL,
        UNIQUE (check_name, instance, metric)
      );
      CREATE TABLE recent (
        id INTEGER PRIMARY KEY,
        ts INTEGER NOT NULL, -- the newest sample of the cycle
        data TEXT NOT NULL -- JSON [[series_id, ts, value], ...]
      );
      CREATE TABLE chunks (
        id INTEGER PRIMARY KEY,
        series_id INTEGER NOT NULL REFERENCES series (id),
        start_ts INTEGER NOT NULL,
        end_ts INTEGER NOT NULL,
        count INTEGER NOT NULL,
        data BLOB NOT NULL,
        UNIQUE (series_id, start_ts)
      );
      CREATE INDEX chunks_by_end ON chunks (end_ts);
      CREATE TABLE spans (
        id INTEGER PRIMARY KEY,
        check_name TEXT NOT NULL,
        instance TEXT NOT NULL,
        status TEXT NOT NULL,
        start_ts INTEGER NOT NULL,
        end_ts INTEGER NOT NULL,
        details TEXT NOT NULL,
        metric TEXT,
        peak REAL
      );
      CREATE INDEX spans_by_end ON spans (end_ts);
      CREATE INDEX spans_by_result ON spans (check_name, instance, start_ts);
    `),
  // 2: hourly min/avg/max/p95 per series, so a month-long report reads 720 rows per series instead of 260,000
  // samples. Filled from the chunks already stored.
  (db) => {
    db.exec(`
      CREATE TABLE rollups_1h (
        series_id INTEGER NOT NULL REFERENCES series (id),
        bucket_ts INTEGER NOT NULL,
        count INTEGER NOT NULL,
        min REAL NOT NULL,
        max REAL NOT NULL,
        sum REAL NOT NULL,
        p95 REAL NOT NULL,
        last REAL NOT NULL,
        PRIMARY KEY (series_id, bucket_ts)
      ) WITHOUT ROWID;
      CREATE INDEX rollups_by_bucket ON rollups_1h (bucket_ts);
    `);
    const insert = db.prepare(
      'INSERT INTO rollups_1h (series_id, bucket_ts, count, min, max, sum, p95, last) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // all(), not iterate(): a connection cannot write while one of its statements is still reading.
    for (const chunk of db.prepare('SELECT series_id, start_ts, data FROM chunks').all() as Iterable<{
      series_id: number;
      start_ts: number;
      data: Uint8Array;
    }>) {
      const bucket = summarizeBucket(decodeSamples(chunk.data).values);
      if (bucket)
        insert.run(
          chunk.series_id,
          chunk.start_ts,
          bucket.count,
          bucket.min,
          bucket.max,
          bucket.sum,
          bucket.p95,
          bucket.last,
        );
    }
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to `target` (default: the newest); refuses one written by a newer Argus. */
export function migrate(db: Database, target = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new NewerSchemaError(current);
  }
  for (let version = current; version < target; version++) {
    db.transaction(() => {
      MIGRATIONS[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/** A database from a newer Argus: left as it is, since an older schema cannot be written without damaging it. */
export class NewerSchemaError extends UserError {
  override name = 'NewerSchemaError';
  constructor(version: number) {
    super(`The history database has schema version ${version}, newer than this Argus knows (${SCHEMA_VERSION})`, {
      hint: 'upgrade Argus, or point storage.sqlite.path at another file',
    });
  }
}
