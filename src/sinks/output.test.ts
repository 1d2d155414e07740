import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Batch } from '../result.ts';
import { createJsonSink, renderJsonLine } from './json.ts';
import { inForeground, listenForQuit } from '../cli/quit-keys.ts';
import { cellWidth } from '../format/cells.ts';
import { createTableSink, renderTable, renderTableToFit } from './table.ts';

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

test('on a terminal the table fits its size: nothing wraps, the worst results are kept, the header stays', () => {
  const many: Batch = {
    ...batch,
    results: Array.from({ length: 30 }, (_, index) => ({
      name: 'disk',
      instance: `/srv/backups/${'deep/'.repeat(5)}volume-${index}`,
      status: index === 17 ? ('CRIT' as const) : ('OK' as const),
      metrics: {},
      details: `${index}% used, and a details line long enough to wrap at any width a terminal has`,
      timestamp: batch.timestamp,
      host: 'web1',
      durationMs: 1,
    })),
  };
  for (const [columns, rows] of [
    [80, 24],
    [40, 12],
    [200, 60],
  ] as const) {
    const lines = renderTableToFit(many, { color: false }, columns, rows).replace(/\n$/, '').split('\n');
    assert.ok(lines.length <= rows - 1, `${columns}x${rows}: ${lines.length} lines leave the cursor on screen`);
    for (const line of lines) assert.ok([...line].length <= columns, `${columns}: "${line}"`);
    assert.match(lines[0] ?? '', /^web1 {2}2026-11-27/);
    assert.ok(
      lines.some((line) => /-17\b/.test(line) && line.includes('CRIT')),
      'the CRIT row is kept',
    );
  }
  const noted = renderTableToFit(many, { color: true }, 80, 24, [
    'one',
    'two',
    'three',
    'four: the latest, cut to the width '.repeat(4),
  ]);
  const notedLines = noted.replace(/\n$/, '').split('\n');
  assert.ok(notedLines.length <= 23);
  assert.deepEqual(
    notedLines.slice(-3).map((line) => line.slice(0, 5)),
    ['two', 'three', 'four:'],
  );
  assert.ok(notedLines.every((line) => cellWidth(line) <= 80));
  const small = renderTableToFit(many, { color: false }, 80, 24);
  assert.match(small, /\+\d+ more \(worst shown first; -o json for all\)/);
  assert.match(small, /│ \/srv\/backu…\/volume-0 │/, 'a long path loses its middle, not its end');
  const tty: string[] = [];
  const sink = createTableSink({
    stdout: (text) => tty.push(text),
    isTTY: true,
    color: false,
    columns: 100,
    size: () => ({ columns: 40, rows: 12 }),
  });
  void sink.write(many);
  // eslint-disable-next-line no-control-regex -- cursor and erase codes take no cells
  assert.ok(tty[0]?.split('\n').every((line) => [...line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')].length <= 40));
});

test('q, Esc or Ctrl-C on a terminal quits the live table; a pipe is left alone', () => {
  const listeners: ((data: string) => void)[] = [];
  const modes: boolean[] = [];
  const input = {
    isTTY: true,
    setRawMode: (mode: boolean) => modes.push(mode),
    setEncoding: () => undefined,
    resume: () => undefined,
    pause: () => undefined,
    on: (_event: 'data', listener: (data: string) => void) => listeners.push(listener),
    off: () => listeners.splice(0),
  };
  let quits = 0;
  const release = listenForQuit(
    input,
    () => (quits += 1),
    () => true,
  );
  listeners[0]?.('x');
  listeners[0]?.('q');
  listeners[0]?.('\x03');
  assert.equal(quits, 2);
  release();
  assert.deepEqual(modes, [true, false]);
  assert.equal(listeners.length, 0);
  const releasePipe = listenForQuit(
    { ...input, isTTY: false },
    () => (quits += 1),
    () => true,
  );
  releasePipe();
  listenForQuit(
    input,
    () => (quits += 1),
    () => false,
  )();
  assert.deepEqual(modes, [true, false], 'a pipe, or a process in the background, is never put in raw mode');
  const stat = (pgrp: number, tpgid: number) => () => `42 (argus (x)) S 1 ${pgrp} 42 34816 ${tpgid} 4194304 0`;
  assert.equal(inForeground(stat(42, 42)), true);
  assert.equal(inForeground(stat(42, 77)), false, 'another group owns the terminal');
  assert.equal(
    inForeground(() => {
      throw new Error('ENOENT');
    }),
    false,
  );
});
