import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { validateConfig } from '../config/validate.ts';
import { UserError } from '../errors.ts';
import { createLogRouter } from '../log/logger.ts';
import type { Batch } from '../result.ts';
import { createSinkWriter } from './sink-writer.ts';

const batch = (n: number): Batch => ({
  timestamp: `2026-11-27T12:00:0${n}.000Z`,
  host: 'h',
  results: [
    {
      name: 'ram',
      status: 'OK',
      metrics: { used_percent: n },
      details: 'x',
      timestamp: `2026-11-27T12:00:0${n}.000Z`,
      host: 'h',
      durationMs: 0,
    },
  ],
});
const sinksConfig = (sinks: unknown[]) => {
  const result = validateConfig({ sinks });
  assert.ok(result.ok, JSON.stringify(result));
  return result.config.sinks;
};

test('sink writer appends every batch to a CSV sink and flushes on close', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'argus-sinks-')), 'r.csv');
  const writer = createSinkWriter(
    sinksConfig([{ type: 'csv', path }]),
    createLogRouter({ level: 'ERROR', outputs: [] }).logger,
  );
  writer.write(batch(1));
  writer.write(batch(2));
  await writer.close();
  assert.equal(readFileSync(path, 'utf8').trim().split('\r\n').length, 3);
});

test('sink writer refuses to start a sink it cannot open, and on reload leaves it out with an error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-sinks-'));
  writeFileSync(join(dir, 'file'), '');
  const blocked = join(dir, 'file', 'r.csv');
  const logger = createLogRouter({ level: 'DEBUG', outputs: [] }).logger;
  assert.throws(
    () => createSinkWriter(sinksConfig([{ type: 'csv', name: 'main', path: blocked }]), logger),
    (error: unknown) => error instanceof UserError && /^Cannot start sink "main": /.test(error.message),
  );
  const lines: string[] = [];
  const good = join(dir, 'good.csv');
  const writer = createSinkWriter(
    sinksConfig([{ type: 'csv', path: good }]),
    createLogRouter({ level: 'DEBUG', outputs: [{ write: (line) => lines.push(line) }] }).logger,
  );
  await writer.configure(
    sinksConfig([
      { type: 'csv', path: good },
      { type: 'csv', path: blocked },
    ]),
  );
  writer.write(batch(3));
  await writer.close();
  assert.ok(lines.some((line) => line.includes('ERROR') && line.includes('Cannot start sink "csv#1"')));
  assert.equal(readFileSync(good, 'utf8').trim().split('\r\n').length, 2, 'the kept sink still writes');
});

test('sink writer keeps memory bounded for a slow sink and logs a failing one once', async () => {
  const lines: string[] = [];
  const logger = createLogRouter({ level: 'DEBUG', outputs: [{ write: (line) => lines.push(line) }] }).logger;
  const path = join(mkdtempSync(join(tmpdir(), 'argus-sinks-')), 'r.csv');
  const writer = createSinkWriter(sinksConfig([{ type: 'csv', name: 'slow', path }]), logger);
  for (let n = 1; n <= 5; n += 1) writer.write(batch(n));
  await writer.close();
  const rows = readFileSync(path, 'utf8').trim().split('\r\n');
  assert.equal(rows.length, 3, 'the in-flight batch and the newest waiting one; three dropped in between');
  assert.ok(rows[2]?.includes('2026-11-27T12:00:05'));
  assert.equal(lines.filter((line) => line.includes('is behind; dropped a batch')).length, 3);
});
