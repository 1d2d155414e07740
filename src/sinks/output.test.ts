import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Batch } from '../result.ts';
import { createJsonSink, renderJsonLine } from './json.ts';
import { createTableSink, renderTable } from './table.ts';

const batch: Batch = {
  timestamp: '2026-11-27T12:00:00.000Z',
  host: 'web1',
  results: [
    {
      name: 'cpu',
      status: 'OK',
      metrics: { usage_percent: 12 },
      details: '12.0% busy',
      timestamp: '2026-11-27T12:00:00.000Z',
      host: 'web1',
      durationMs: 1,
    },
    {
      name: 'disk',
      instance: '/var',
      status: 'CRIT',
      metrics: { used_percent: 97 },
      details: '/var: 97.0% used',
      timestamp: '2026-11-27T12:00:00.000Z',
      host: 'web1',
      durationMs: 2,
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
  ],
};

test('renderJsonLine() writes one NDJSON document with the overall status', () => {
  const line = renderJsonLine(batch);
  assert.ok(line.endsWith('}\n') && !line.slice(0, -1).includes('\n'));
  const document = JSON.parse(line) as { status: string; results: unknown[] };
  assert.equal(document.status, 'CRIT');
  assert.equal(document.results.length, 3);
});

test('json sink appends one line per cycle', () => {
  const out: string[] = [];
  const sink = createJsonSink({ stdout: (text) => out.push(text) });
  void sink.write(batch);
  void sink.write(batch);
  assert.equal(out.join('').split('\n').filter(Boolean).length, 2);
});

test('renderTable() shows a summary header and one row per result, colour only when asked', () => {
  const plain = renderTable(batch, { color: false, columns: 100 });
  assert.match(plain, /^web1 {2}2026-11-27T12:00:00\.000Z {2}CRIT {2}\(1 OK, 1 CRIT, 1 UNKNOWN\)\n/);
  assert.match(plain, /disk +│ \/var +│ CRIT +│ \/var: 97\.0% used/);
  assert.ok(!plain.includes('\x1b['));
  assert.ok(renderTable(batch, { color: true, columns: 100 }).includes('\x1b[31m'));
  assert.match(renderTable({ ...batch, results: [] }, { color: false, columns: 80 }), /OK {2}\(no results\)/);
});

test('table sink redraws in place on a terminal and appends on a pipe', () => {
  const tty: string[] = [];
  const onTerminal = createTableSink({ stdout: (text) => tty.push(text), isTTY: true, color: false, columns: 100 });
  void onTerminal.write(batch);
  void onTerminal.write(batch);
  assert.ok(tty[0]?.startsWith('\x1b[2J\x1b[H'));
  assert.ok(tty[1]?.startsWith('\x1b[H') && tty[1].endsWith('\x1b[J'));
  const piped: string[] = [];
  const onPipe = createTableSink({ stdout: (text) => piped.push(text), isTTY: false, color: false, columns: 100 });
  void onPipe.write(batch);
  void onPipe.write(batch);
  assert.ok(!piped.join('').includes('\x1b'));
  assert.ok(piped[1]?.startsWith('\nweb1'));
});
