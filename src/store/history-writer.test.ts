import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../../test/helpers/cli.ts';
import type { LogLevel } from '../log/logger.ts';
import type { AuditEvent } from '../log/audit.ts';
import { HistoryDb, type RecordedCycle } from './history-db.ts';
import { HistoryWriter, MAX_PENDING_RESULTS, SLOW_RETRY_MS } from './history-writer.ts';

const T0 = Date.UTC(2026, 10, 1);
const freshPath = () => join(mkdtempSync(join(tmpdir(), 'argus-writer-')), 'history.db');

const cycle = (index: number, metrics = 2): RecordedCycle => ({
  intervalMs: 10_000,
  results: [
    {
      check: 'cpu',
      instance: '',
      status: 'OK',
      details: 'fine',
      ts: T0 + index * 10_000,
      metrics: Object.fromEntries(Array.from({ length: metrics }, (_, n) => [`m${n}`, index + n / 7])),
    },
  ],
});

function harness(path: string, open?: (path: string) => HistoryDb) {
  const logs: [LogLevel, string, Record<string, unknown> | undefined][] = [];
  const audits: AuditEvent[] = [];
  const clock = { t: T0 };
  const writer = new HistoryWriter({
    path,
    retentionMs: 30 * 86_400_000,
    log: (level, message, fields) => logs.push([level, message, fields]),
    audit: (event) => audits.push(event),
    now: () => clock.t,
    ...(open ? { open } : {}),
  });
  return { writer, logs, audits, clock };
}

const sampleCount = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db
        .prepare(
          'SELECT (SELECT coalesce(sum(json_array_length(data)), 0) FROM recent) + (SELECT coalesce(sum(count), 0) FROM chunks) AS n',
        )
        .get() as { n: number }
    ).n;
  } finally {
    db.close();
  }
};

/** Another process that holds the write lock, as a backup tool or a second writer would. */
async function holdWriteLock(path: string) {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const db = new (require('better-sqlite3'))(process.argv[1]); db.exec('BEGIN IMMEDIATE');
       process.stdout.write('locked\\n'); process.stdin.on('data', () => { db.exec('COMMIT'); db.close(); process.exit(0); });`,
      path,
    ],
    { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await once(child.stdout, 'data');
  return {
    release: async () => {
      child.stdin.write('go\n');
      await once(child, 'exit');
    },
  };
}

test('a database locked by another process: results wait in memory, the problem is logged once, nothing is lost', async () => {
  const path = freshPath();
  new HistoryDb(path, { retentionMs: 86_400_000 }).close();
  const { writer, logs } = harness(path, (file) => new HistoryDb(file, { retentionMs: 86_400_000, busyTimeoutMs: 20 }));
  writer.write(cycle(0));
  const lock = await holdWriteLock(path);
  for (let index = 1; index <= 5; index++) writer.write(cycle(index));
  assert.equal(writer.queued, 5);
  assert.equal(writer.stats.healthy, false);
  assert.equal(writer.stats.failures.busy, 5, 'every failed try is counted for /metrics');
  assert.equal(writer.stats.writtenCycles, 1);
  assert.deepEqual(
    logs.map(([level, message]) => [level, message.split(';')[0]]),
    [['WARNING', 'the history database is locked by another process']],
  );
  await lock.release();
  writer.write(cycle(6));
  assert.equal(writer.queued, 0);
  assert.deepEqual(
    { ...writer.stats, failures: undefined },
    { writtenCycles: 7, failures: undefined, droppedResults: 0, queuedResults: 0, healthy: true },
  );
  assert.deepEqual(logs.at(-1)?.slice(0, 2), ['INFO', 'history writes work again']);
  writer.close();
  assert.equal(sampleCount(path), 7 * 2);
});

test('a full disk: writes pause for 30 s, at most 10,000 results wait, and writing resumes once there is room', () => {
  const path = freshPath();
  let opened: HistoryDb | undefined;
  let maintained = 0;
  const { writer, logs, clock } = harness(path, (file) => {
    opened = new HistoryDb(file, { retentionMs: 30 * 86_400_000 });
    const maintain = opened.maintain.bind(opened);
    opened.maintain = () => {
      maintained++;
      return maintain();
    };
    // A real SQLITE_FULL: the database may not grow past its current size (plus a page or two).
    const pages = opened.db.pragma('page_count', { simple: true }) as number;
    opened.db.pragma(`max_page_count = ${pages + 2}`);
    return opened;
  });
  let index = 0;
  while (!logs.some(([level]) => level === 'WARNING')) writer.write(cycle(index++, 40));
  assert.match(logs[0]![1], /disk holding the history database is full/);
  assert.equal(maintained, 1, 'retention pruning runs at once, to free pages for the next writes');
  const written = index - writer.queued;
  for (let extra = 0; extra < MAX_PENDING_RESULTS + 50; extra++) writer.write(cycle(index++, 1));
  assert.equal(writer.queued, MAX_PENDING_RESULTS, 'the oldest waiting results are dropped beyond the bound');
  assert.equal(logs.length, 1, 'logged once, not per cycle');

  opened!.db.pragma('max_page_count = 1000000');
  clock.t += SLOW_RETRY_MS - 1;
  writer.write(cycle(index++, 1));
  assert.ok(writer.queued > MAX_PENDING_RESULTS - 5, 'no retry before 30 s');
  clock.t += 1;
  writer.write(cycle(index, 1));
  assert.equal(writer.queued, 0);
  assert.equal(logs.at(-1)?.[1], 'history writes work again');
  assert.ok((logs.at(-1)?.[2]?.dropped_results as number) > 0);
  writer.close();
  assert.equal(sampleCount(path), written * 40 + MAX_PENDING_RESULTS);
});

test('corruption found mid-run: the file is moved aside and audited, and the next cycles go to a new one', () => {
  const path = freshPath();
  let opens = 0;
  const { writer, logs, audits } = harness(path, (file) => {
    opens++;
    const history = new HistoryDb(file, { retentionMs: 86_400_000 });
    if (opens === 1) {
      history.recordAll = () => {
        throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
      };
    }
    return history;
  });
  writer.write(cycle(0));
  assert.equal(audits[0]?.event, 'history_corrupt');
  assert.match(logs[0]![1], /corrupt; moved it aside/);
  writer.write(cycle(1));
  writer.close();
  assert.equal(opens, 2);
  assert.equal(sampleCount(path), 2 * 2, 'the cycle that met the corruption is written to the new file');
});

test('an unexpected error is logged as an error once and retried later', () => {
  const path = freshPath();
  writeFileSync(path, '');
  const { writer, logs, clock } = harness(path, () => {
    throw new TypeError('boom');
  });
  writer.write(cycle(0));
  writer.write(cycle(1));
  assert.deepEqual(
    logs.map(([level, message]) => [level, message]),
    [['ERROR', 'writing the history failed; keeping results in memory and retrying every 30 s']],
  );
  clock.t += SLOW_RETRY_MS;
  writer.close();
  assert.match(logs.at(-1)![1], /results not written at exit/);
});

test('SIGKILL at any moment leaves a database that passes integrity_check and keeps what was committed', async () => {
  for (const delayMs of [150, 400, 900]) {
    const path = freshPath();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/history-write-loop.ts', path], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(child.stdout, 'data');
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    child.kill('SIGKILL');
    await once(child, 'exit');
    const db = new Database(path);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok', `killed after ${delayMs} ms`);
    const stored = db
      .prepare(
        'SELECT (SELECT coalesce(sum(json_array_length(data)), 0) FROM recent) + (SELECT coalesce(sum(count), 0) FROM chunks) AS n',
      )
      .get() as {
      n: number;
    };
    assert.ok(stored.n >= 50 * 16, `${stored.n} samples survived`);
    db.close();
  }
});

test('start() opens the database before any cycle, and reports a file it cannot open at once', () => {
  const path = freshPath();
  const { writer, logs } = harness(path);
  writer.start();
  assert.ok(existsSync(path), 'the file exists before the first cycle');
  writer.close();
  const broken = harness(freshPath(), () => {
    throw Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
  });
  broken.writer.start();
  assert.deepEqual(
    broken.logs.map(([level, message]) => [level, message]),
    [['WARNING', 'the history database cannot be written; keeping results in memory and retrying every 30 s']],
  );
  assert.equal(logs.length, 0);
});

test('start() packs the hours the last run left raw, then waits 10 minutes for the next maintenance', () => {
  const path = freshPath();
  const before = harness(path);
  // Three hours of 10 s cycles, and the clock never moved: this run never got to maintenance.
  for (let index = 0; index < 360 * 3; index++) before.writer.write(cycle(index));
  before.writer.close();
  const rows = (table: string): number => {
    const db = new Database(path, { readonly: true });
    try {
      return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  assert.equal(rows('recent'), 360 * 3);
  assert.equal(rows('chunks'), 0);
  const after = harness(path);
  after.clock.t = T0 + 4 * 3_600_000;
  after.writer.start();
  assert.equal(rows('recent'), 360, 'only the newest hour, unfinished when the last run stopped, stays raw');
  assert.equal(rows('chunks'), 2 * 2, 'the two finished hours of both series are packed');
  assert.equal(sampleCount(path), 360 * 3 * 2, 'every sample is still there');
  assert.deepEqual(
    after.logs.map(([level, message]) => [level, message]),
    [['DEBUG', 'history maintenance']],
  );
  after.clock.t += 9 * 60_000;
  after.writer.write(cycle(360 * 4));
  assert.equal(after.logs.length, 1, 'no second maintenance within 10 minutes');
  after.clock.t += 60_000;
  after.writer.write(cycle(360 * 4 + 1));
  assert.equal(after.logs.length, 2, 'the next one 10 minutes after start');
  after.writer.close();
});
