import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogRouter } from '../log/logger.ts';
import type { Batch } from '../result.ts';
import { HANDOFF_MS, startHistoryRecorder } from './history-recorder.ts';

const T0 = Date.UTC(2026, 10, 1);

const batch = (index: number): Batch => ({
  timestamp: new Date(T0 + index * 1000).toISOString(),
  host: 'test-host',
  results: [
    {
      name: 'ram',
      status: 'OK',
      metrics: { used_percent: 40 + index },
      details: 'fine',
      timestamp: new Date(T0 + index * 1000).toISOString(),
      host: 'test-host',
      durationMs: 1,
    },
    {
      name: 'disk',
      instance: '/',
      status: 'OK',
      metrics: { used_percent: 10, free_bytes: 1e9 },
      details: 'fine',
      timestamp: new Date(T0 + index * 1000).toISOString(),
      host: 'test-host',
      durationMs: 1,
    },
  ],
});

/** A recorder on a fresh file, its log lines kept; at a 60 s interval unless told, so each cycle goes at once. */
function startRecorder(settings: Partial<Parameters<typeof startHistoryRecorder>[0]> = {}) {
  const path = join(mkdtempSync(join(tmpdir(), 'argus-recorder-')), 'history.db');
  const lines: string[] = [];
  const { logger } = createLogRouter({ level: 'DEBUG', outputs: [{ write: (line) => lines.push(line) }] });
  const recorder = startHistoryRecorder({
    path,
    retentionSeconds: 86_400,
    intervalMs: () => 60_000,
    logger,
    audit: () => undefined,
    ...settings,
  });
  return { path, lines, recorder };
}

/** The timestamps (seconds after T0) of the cycles stored, after the recorder closed. */
function storedCycles(path: string): number[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT ts FROM recent ORDER BY ts').all() as { ts: number }[]).map(
      (row) => (row.ts - T0) / 1000,
    );
  } finally {
    db.close();
  }
}

test('the recorder writes each cycle as it comes and counts it; nothing before the first cycle', async () => {
  const { path, lines, recorder } = startRecorder();
  assert.equal(recorder.stats(), undefined, 'no counters before the first cycle');
  for (let index = 0; index < 3; index += 1) {
    recorder.record(batch(index));
    assert.equal(recorder.stats()?.writtenCycles, index + 1, 'written before record() returned');
  }
  assert.deepEqual(recorder.stats(), {
    writtenCycles: 3,
    failures: { busy: 0, full: 0, corrupt: 0, unwritable: 0, error: 0 },
    droppedResults: 0,
    queuedResults: 0,
    healthy: true,
  });
  await recorder.close();
  recorder.record(batch(3));
  assert.deepEqual(storedCycles(path), [0, 1, 2], 'nothing after close');
  assert.deepEqual(
    lines.filter((line) => / (WARNING|ERROR) /.test(line)),
    [],
  );
});

// The loop's thread writes now, so another process' lock may hold it only briefly: past 20 ms the cycle waits in
// memory and the next cycle tries again (a backup tool holding the file for seconds used to wait on the thread).
test('a lock held by another process costs a cycle at most the short busy wait; the cycles are written later', async () => {
  const { path, lines, recorder } = startRecorder();
  recorder.record(batch(0));
  const other = new Database(path);
  other.exec('BEGIN IMMEDIATE');
  const started = performance.now();
  recorder.record(batch(1));
  recorder.record(batch(2));
  const waited = performance.now() - started;
  assert.equal(recorder.stats()?.queuedResults, 4, 'two cycles of two results wait');
  assert.equal(recorder.stats()?.healthy, false);
  assert.ok(waited < 1000, `two locked cycles held the loop ${waited.toFixed(0)} ms (a 1 s busy wait each before)`);
  other.exec('COMMIT');
  other.close();
  recorder.record(batch(3));
  assert.equal(recorder.stats()?.healthy, true);
  await recorder.close();
  assert.deepEqual(storedCycles(path), [0, 1, 2, 3]);
  assert.equal(lines.filter((line) => line.includes('locked by another process')).length, 1, 'logged once');
});

test('a fast loop hands its cycles over a few at a time, none waiting longer than HANDOFF_MS; closing writes the rest', async () => {
  const clock = { t: 0 };
  const { path, recorder } = startRecorder({ intervalMs: () => 1000, monotonicMs: () => clock.t });
  const cyclesPerHandoff = HANDOFF_MS / 1000;
  for (let index = 0; index < cyclesPerHandoff - 1; index += 1) {
    recorder.record(batch(index));
    clock.t += 1000;
  }
  assert.equal(
    recorder.stats()?.writtenCycles,
    0,
    'nothing written while the first cycle has waited less than HANDOFF_MS',
  );
  assert.equal(recorder.stats()?.queuedResults, (cyclesPerHandoff - 1) * 2);
  recorder.record(batch(cyclesPerHandoff - 1));
  assert.equal(recorder.stats()?.writtenCycles, cyclesPerHandoff, 'all of them, in one transaction');
  recorder.record(batch(cyclesPerHandoff));
  recorder.record(batch(cyclesPerHandoff + 1));
  await recorder.close();
  assert.deepEqual(
    storedCycles(path),
    Array.from({ length: cyclesPerHandoff + 2 }, (_, index) => index),
    'closing wrote the two that waited',
  );
});
