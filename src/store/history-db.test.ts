import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Status } from '../result.ts';
import { HistoryDb, type RecordedResult } from './history-db.ts';
import { HOUR_MS } from './history-maintenance.ts';
import {
  historyRange,
  listSeries,
  openHistoryForReading,
  readBuckets,
  readSamples,
  readSamplesOf,
  readSpans,
} from './history-read.ts';
import { migrate, SCHEMA_VERSION } from './migrations.ts';
import { encodeSamples } from './sample-codec.ts';

const DAY = 24 * HOUR_MS;
const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
const freshPath = () => join(mkdtempSync(join(tmpdir(), 'argus-history-')), 'history.db');

const ram = (ts: number, used: number, status: Status = 'OK'): RecordedResult => ({
  check: 'ram',
  instance: '',
  status,
  details: `${used}% used`,
  ts,
  metrics: { used_percent: used, total_bytes: 25_276_514_304 },
  ...(status === 'OK'
    ? {}
    : { breach: { metric: 'used_percent', value: used, level: 'warn' as const, worse: 'higher' as const } }),
});

test('history keeps every sample across packing: raw rows, hourly chunks and rollups agree', () => {
  const path = freshPath();
  const now = { t: T0 };
  const history = new HistoryDb(path, { retentionMs: 30 * DAY, now: () => now.t });
  const values: number[] = [];
  for (let index = 0; index < 3 * 360; index++) {
    const used = 40 + (index % 50) / 3;
    values.push(Math.round(used * 10_000) / 10_000);
    history.record({ intervalMs: 10_000, results: [ram(T0 + index * 10_000, used)] });
  }
  now.t = T0 + 3 * HOUR_MS;
  const report = history.maintain();
  assert.equal(
    report.compactedSamples,
    2 * 2 * 360,
    'two series: the two finished hours are packed, the current one is not',
  );
  const [used] = listSeries(history.db, { metric: 'used_percent' });
  assert.ok(used);
  const read = readSamples(history.db, used.id, T0, T0 + 3 * HOUR_MS);
  assert.equal(read.timestamps.length, 3 * 360);
  assert.deepEqual(Array.from(read.values), values);
  assert.equal(readSamples(history.db, used.id, T0 + 1800_000, T0 + 3600_000).values.length, 180);
  // The bulk reader (one statement for all series, as reports use) gives the same samples, packed and recent alike.
  const all = listSeries(history.db, {});
  for (const [since, until] of [
    [T0, T0 + 3 * HOUR_MS],
    [T0 + 1800_000, T0 + 2.5 * HOUR_MS],
  ] as const) {
    const bulk = readSamplesOf(
      history.db,
      all.map((series) => series.id),
      since,
      until,
    );
    for (const series of all) {
      const one = readSamples(history.db, series.id, since, until);
      assert.deepEqual(Array.from(bulk.get(series.id)?.timestamps ?? []), Array.from(one.timestamps));
      assert.deepEqual(Array.from(bulk.get(series.id)?.values ?? []), Array.from(one.values));
    }
  }
  const buckets = readBuckets(history.db, used.id, T0, T0 + 3 * HOUR_MS);
  assert.deepEqual(
    buckets.map((bucket) => [bucket.ts, bucket.count]),
    [
      [T0, 360],
      [T0 + HOUR_MS, 360],
      [T0 + 2 * HOUR_MS, 360],
    ],
  );
  assert.equal(buckets[0]!.min, 40);
  assert.equal(buckets[0]!.max, Math.round((40 + 49 / 3) * 10_000) / 10_000);
  assert.deepEqual(historyRange(history.db), { first: T0, last: T0 + (3 * 360 - 1) * 10_000 });
  history.close();
  assert.deepEqual(
    readdirSync(join(path, '..')).filter((name) => name.startsWith('history.db')),
    ['history.db'],
    'closing checkpoints the WAL into the one file',
  );
});

test('a late sample for an hour already packed is merged into its chunk', () => {
  const history = new HistoryDb(freshPath(), { retentionMs: 30 * DAY });
  history.record({ intervalMs: 10_000, results: [ram(T0, 1), ram(T0 + 20_000, 3)] });
  history.record({ intervalMs: 10_000, results: [ram(T0 + HOUR_MS + 5, 9)] });
  history.maintain();
  history.record({ intervalMs: 10_000, results: [ram(T0 + 10_000, 2)] });
  history.record({ intervalMs: 10_000, results: [ram(T0 + 2 * HOUR_MS, 9)] });
  history.maintain();
  const [used] = listSeries(history.db, { check: 'ram', metric: 'used_percent' });
  assert.deepEqual(Array.from(readSamples(history.db, used!.id, T0, T0 + HOUR_MS).values), [1, 2, 3]);
  assert.equal(readBuckets(history.db, used!.id, T0, T0 + HOUR_MS)[0]!.count, 3);
  history.close();
});

test('status is kept as spans: a change or a gap starts a new one, the worst value of a breach is kept', () => {
  const history = new HistoryDb(freshPath(), { retentionMs: 30 * DAY });
  const statuses: [number, Status][] = [
    [50, 'OK'],
    [91, 'WARN'],
    [97, 'WARN'],
    [93, 'WARN'],
    [50, 'OK'],
  ];
  statuses.forEach(([used, status], index) =>
    history.record({ intervalMs: 60_000, results: [ram(T0 + index * 60_000, used, status)] }),
  );
  // Argus was down for an hour: the OK before and after are two spans, not one that covers the gap.
  history.record({ intervalMs: 60_000, results: [ram(T0 + 65 * 60_000, 50)] });
  const spans = readSpans(history.db, T0, T0 + DAY, { check: 'ram' });
  assert.deepEqual(
    spans.map((span) => [span.status, (span.start - T0) / 60_000, (span.end - T0) / 60_000, span.peak]),
    [
      ['OK', 0, 1, null],
      ['WARN', 1, 4, 97],
      ['OK', 4, 5, null],
      ['OK', 65, 66, null],
    ],
  );
  assert.equal(spans[1]!.details, '97% used', 'the details of the worst sample');
  assert.deepEqual(readSpans(history.db, T0 + 2 * 60_000, T0 + 3 * 60_000, {}).length, 1);
  history.close();
  // A new process continues the open span instead of starting another.
  const reopened = new HistoryDb(history.db.name, { retentionMs: 30 * DAY });
  reopened.record({ intervalMs: 60_000, results: [ram(T0 + 66 * 60_000, 50)] });
  assert.equal(readSpans(reopened.db, T0, T0 + DAY, { check: 'ram' }).length, 4);
  reopened.close();
});

test('retention prunes from the data, at most a tenth per run, so a clock jumped ahead cannot wipe history', () => {
  const now = { t: T0 + 20 * DAY };
  const history = new HistoryDb(freshPath(), { retentionMs: 30 * DAY, now: () => now.t });
  // 40 days, one sample an hour (cheap to build), packed into 960 hourly chunks.
  for (let hour = 0; hour < 40 * 24; hour++)
    history.record({ intervalMs: HOUR_MS, results: [ram(T0 + hour * HOUR_MS + 1000, 10)] });
  history.maintain();
  const count = (table: string) => (history.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const chunksBefore = count('chunks');
  assert.equal(chunksBefore, 2 * (40 * 24 - 1), 'two series, every hour but the current one');

  // A clock ten years ahead: the cutoff comes from the newest sample plus a day, so at most 11 days go.
  now.t = T0 + 3650 * DAY;
  assert.ok(history.maintain().prunedRows > 0);
  assert.ok(count('chunks') >= chunksBefore * 0.9 - 1, 'one run deletes at most 10 %');
  for (let run = 0; run < 30; run++) history.maintain();
  const [used] = listSeries(history.db, { metric: 'used_percent' });
  const remaining = readSamples(history.db, used!.id, 0, T0 + 41 * DAY);
  const cutoff = T0 + 40 * DAY - HOUR_MS + 1000 + DAY - 30 * DAY;
  assert.ok(remaining.timestamps[0]! >= cutoff - HOUR_MS, 'pruned up to the cutoff from the data');
  assert.ok(remaining.timestamps.length >= 18 * 24, `kept ${remaining.timestamps.length} hours`);
  history.close();
});

test('a short retention keeps recent data even when the clock is far ahead of it', () => {
  const history = new HistoryDb(freshPath(), { retentionMs: HOUR_MS, now: () => T0 + 7 * DAY });
  for (let minute = 0; minute < 120; minute++)
    history.record({ intervalMs: 60_000, results: [ram(T0 + minute * 60_000, 10)] });
  for (let run = 0; run < 40; run++) history.maintain();
  const [used] = listSeries(history.db, { metric: 'used_percent' });
  const kept = readSamples(history.db, used!.id, 0, T0 + DAY).timestamps;
  assert.equal(kept[0], T0 + 89 * 60_000, 'the newest sample (minute 119) and the half hour before it stay');
  history.close();
});

test('a database from the previous schema version is migrated with its data', () => {
  const path = freshPath();
  const old = new Database(path);
  migrate(old, 1);
  old.prepare("INSERT INTO series (id, check_name, instance, metric) VALUES (1, 'cpu', '', 'usage_percent')").run();
  old
    .prepare('INSERT INTO chunks (series_id, start_ts, end_ts, count, data) VALUES (1, ?, ?, 3, ?)')
    .run(T0, T0 + 20_000, encodeSamples({ timestamps: [T0, T0 + 10_000, T0 + 20_000], values: [10, 30, 20] }));
  old.close();

  const history = new HistoryDb(path, { retentionMs: 30 * DAY });
  assert.equal(history.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  const [bucket] = readBuckets(history.db, 1, T0, T0 + HOUR_MS);
  assert.deepEqual(
    { count: bucket?.count, min: bucket?.min, max: bucket?.max, sum: bucket?.sum, last: bucket?.last },
    { count: 3, min: 10, max: 30, sum: 60, last: 20 },
  );
  history.close();
});

test('a database from a newer Argus is refused with a clear message and left as it is', () => {
  const path = freshPath();
  const future = new Database(path);
  future.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  future.close();
  assert.throws(() => new HistoryDb(path, { retentionMs: DAY }), /schema version 3, newer than this Argus knows/);
  assert.throws(() => openHistoryForReading(path), /newer than this Argus knows/);
});

test('a corrupt file at start is moved aside, not deleted, and a new history begins', () => {
  for (const damage of ['garbage', 'torn'] as const) {
    const path = freshPath();
    if (damage === 'garbage') writeFileSync(path, 'this is not a database'.repeat(300));
    else {
      const history = new HistoryDb(path, { retentionMs: DAY });
      for (let index = 0; index < 2000; index++)
        history.record({ intervalMs: 10_000, results: [ram(T0 + index * 10_000, index % 100)] });
      history.close();
      // Overwrite the middle of the file: pages of the samples table become garbage.
      const bytes = new Uint8Array(8192).fill(0x5a);
      const fd = require_fs().openSync(path, 'r+');
      require_fs().writeSync(fd, bytes, 0, bytes.length, 8192);
      require_fs().closeSync(fd);
    }
    const history = new HistoryDb(path, { retentionMs: DAY });
    assert.ok(history.movedAside?.startsWith(`${path}.corrupt-`), damage);
    assert.ok(existsSync(history.movedAside!), `${damage}: the damaged file is kept for recovery`);
    history.record({ intervalMs: 10_000, results: [ram(T0, 5)] });
    assert.equal(history.db.pragma('integrity_check', { simple: true }), 'ok');
    history.close();
  }
});

test('reading a missing or unreadable history gives a message, not a stack', () => {
  assert.throws(() => openHistoryForReading('/nonexistent/history.db'), /No history at \/nonexistent\/history.db/);
  const path = freshPath();
  writeFileSync(path, 'not sqlite'.repeat(200));
  assert.throws(() => openHistoryForReading(path), /Cannot read the history database/);
});

import * as fs from 'node:fs';
const require_fs = () => fs;
