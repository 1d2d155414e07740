import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogRouter } from '../log/logger.ts';
import * as v from 'valibot';
import type { Batch } from '../result.ts';
import { parseCsv } from '../../test/helpers/rfc4180.ts';
import { csvField } from '../format/csv-field.ts';
import { csvSink, renderCsvRows } from './csv.ts';

const hostileMount = '/mnt/a, "b"\nc';
const batch: Batch = {
  timestamp: '2026-11-27T12:00:00.000Z',
  host: 'web1',
  results: [
    {
      name: 'disk',
      instance: hostileMount,
      status: 'WARN',
      metrics: { used_percent: 85.5, free_bytes: 1024 },
      details: 'a "quoted", detail',
      timestamp: '2026-11-27T12:00:00.000Z',
      host: 'web1',
      durationMs: 1,
    },
    {
      name: 'gpu',
      status: 'UNKNOWN',
      metrics: {},
      details: 'no GPU found',
      timestamp: '2026-11-27T12:00:00.000Z',
      host: 'web1',
      durationMs: 0,
    },
    {
      name: 'network',
      instance: '=HYPERLINK("x")',
      status: 'OK',
      metrics: { rx_bytes_per_second: -0 },
      details: '-ok',
      timestamp: '2026-11-27T12:00:00.000Z',
      host: 'web1',
      durationMs: 0,
    },
  ],
};

test('renderCsvRows() writes one row per result and metric that reads back verbatim', () => {
  const rows = parseCsv(renderCsvRows(batch));
  assert.deepEqual(rows[0], [
    '2026-11-27T12:00:00.000Z',
    'web1',
    'disk',
    hostileMount,
    'WARN',
    'used_percent',
    '85.5',
    'a "quoted", detail',
  ]);
  assert.deepEqual(rows[1]?.slice(5, 7), ['free_bytes', '1024']);
  assert.deepEqual(rows[2], ['2026-11-27T12:00:00.000Z', 'web1', 'gpu', '', 'UNKNOWN', '', '', 'no GPU found']);
  assert.equal(rows.length, 4);
});

test('csvField() defuses spreadsheet formulas in text but leaves negative numbers alone', () => {
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvField('@SUM(A1)'), `'@SUM(A1)`);
  assert.equal(csvField(-5, false), '-5');
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField(undefined), '');
});

test('csv sink writes the header once per file, appends across restarts and rotates by size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-csv-'));
  const path = join(dir, 'out', 'results.csv');
  const options = v.parse(csvSink.options, { path, max_bytes: 4096, max_files: 2 });
  const deps = { label: 'csv', logger: createLogRouter({ level: 'ERROR', outputs: [] }).logger, stateDir: dir };
  const first = csvSink.create(options, deps);
  void first.write(batch);
  void first.close?.();
  const second = csvSink.create(options, deps);
  void second.write(batch);
  const text = readFileSync(path, 'utf8');
  assert.equal(text.split('timestamp,host,check,instance,status,metric,value,details\r\n').length, 2, 'one header');
  assert.equal(parseCsv(text).length, 1 + 8);
  for (let cycle = 0; cycle < 40; cycle += 1) void second.write(batch);
  void second.close?.();
  for (const file of [path, `${path}.1`, `${path}.2`]) {
    assert.ok(readFileSync(file, 'utf8').startsWith('timestamp,host,check,'), `${file} starts with the header`);
  }
  assert.equal(existsSync(`${path}.3`), false);
  assert.throws(() => second.write(batch), /Cannot write to CSV file/);
});
