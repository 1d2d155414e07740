import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 20_000) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

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

test('the history thread publishes its counters without a message per cycle, and writes every cycle', async () => {
  const { path, lines, recorder } = startRecorder();
  assert.equal(recorder.stats(), undefined, 'no counters before the first cycle is taken');
  await recorder.started;
  for (let index = 0; index < 3; index += 1) {
    recorder.record(batch(index));
    await until(() => recorder.stats()?.writtenCycles === index + 1, `cycle ${index + 1} written`);
  }
  assert.deepEqual(recorder.stats(), {
    writtenCycles: 3,
    failures: { busy: 0, full: 0, corrupt: 0, unwritable: 0, error: 0 },
    droppedResults: 0,
    queuedResults: 0,
    healthy: true,
  });
  await recorder.close();
  assert.deepEqual(storedCycles(path), [0, 1, 2]);
  assert.deepEqual(
    lines.filter((line) => / (WARNING|ERROR) /.test(line)),
    [],
  );
});

test('cycles the history thread has not taken are bounded: past the limit new ones are dropped and counted', async () => {
  const { path, lines, recorder } = startRecorder({ maxCyclesInFlight: 2 });
  // The thread is still starting (it has to boot Node and load its code): it cannot take a cycle during this
  // synchronous loop, so it stands for a thread that hangs in a system call.
  for (let index = 0; index < 5; index += 1) recorder.record(batch(index));
  const stalled = recorder.stats();
  assert.equal(stalled?.droppedResults, 3 * 2, 'three cycles of two results dropped');
  assert.equal(stalled?.healthy, false);
  assert.equal(lines.filter((line) => line.includes('cycles wait for the history thread')).length, 1, 'logged once');

  await until(() => recorder.stats()?.writtenCycles === 2, 'the two cycles in flight written');
  recorder.record(batch(5));
  assert.ok(lines.some((line) => line.includes('the history thread takes cycles again')));
  await until(() => recorder.stats()?.writtenCycles === 3, 'the next cycle written');
  assert.equal(recorder.stats()?.healthy, true);
  assert.equal(recorder.stats()?.droppedResults, 6, 'the drops stay counted');
  await recorder.close();
  assert.deepEqual(storedCycles(path), [0, 1, 5]);
});

test('a fast loop hands its cycles over a few at a time, none waiting longer than HANDOFF_MS; closing hands over the rest', async () => {
  const clock = { t: 0 };
  const { path, recorder } = startRecorder({ intervalMs: () => 1000, monotonicMs: () => clock.t });
  await recorder.started;
  const cyclesPerHandoff = HANDOFF_MS / 1000;
  for (let index = 0; index < cyclesPerHandoff - 1; index += 1) {
    recorder.record(batch(index));
    clock.t += 1000;
  }
  await sleep(300);
  assert.equal(
    recorder.stats(),
    undefined,
    'nothing handed over while the first cycle has waited less than HANDOFF_MS',
  );
  recorder.record(batch(cyclesPerHandoff - 1));
  await until(() => recorder.stats()?.writtenCycles === cyclesPerHandoff, 'the first hand-over written');
  recorder.record(batch(cyclesPerHandoff));
  recorder.record(batch(cyclesPerHandoff + 1));
  await recorder.close();
  assert.deepEqual(
    storedCycles(path),
    Array.from({ length: cyclesPerHandoff + 2 }, (_, index) => index),
    'closing wrote the two that waited',
  );
});
