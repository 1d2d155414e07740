import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProcessRow } from '../../collect/process-sampler.ts';
import { initialViewState } from '../view-state.ts';
import { cellWidth } from '../../format/cells.ts';
import { sortProcesses } from '../../collect/process-sampler.ts';
import { filterProcesses, formatCpuTime, processLines, treeOrder } from './processes.ts';

const row = (pid: number, ppid: number, fields: Partial<ProcessRow> = {}): ProcessRow => ({
  pid,
  ppid,
  name: `p${pid}`,
  state: 'S',
  uid: 0,
  user: 'root',
  threads: 1,
  rssBytes: pid * 1024,
  virtualBytes: 0,
  cpuTicks: pid,
  startTicks: 0,
  kernelThread: false,
  command: `/bin/p${pid} --serve`,
  readBytes: undefined,
  writeBytes: undefined,
  memPercent: 0.1,
  ...fields,
});

const rows = [
  row(1, 0, { cpuPercent: 0 }),
  row(20, 1, { cpuPercent: 5, readBytesPerSecond: 10 }),
  row(300, 20, { cpuPercent: 50, user: 'www-data', command: '/usr/sbin/nginx -g daemon off;' }),
  row(301, 20, { cpuPercent: 1, writeBytesPerSecond: 1e6 }),
  row(4000, 1, { cpuPercent: 2, state: 'Z', command: '[defunct]' }),
];

test('processes sort by CPU, memory, I/O and time, highest first, ties by PID', () => {
  const pids = (key: Parameters<typeof sortProcesses>[1]) => sortProcesses(rows, key).map((entry) => entry.pid);
  assert.deepEqual(pids('cpu'), [300, 20, 4000, 301, 1]);
  assert.deepEqual(pids('memory'), [4000, 301, 300, 20, 1]);
  assert.deepEqual(pids('io'), [301, 20, 1, 300, 4000]);
  assert.deepEqual(pids('time'), [4000, 301, 300, 20, 1]);
});

test('the filter matches name, user or command line without case, or a PID exactly', () => {
  assert.deepEqual(
    filterProcesses(rows, 'NGINX').map((entry) => entry.pid),
    [300],
  );
  assert.deepEqual(
    filterProcesses(rows, 'www').map((entry) => entry.pid),
    [300],
  );
  assert.deepEqual(
    filterProcesses(rows, '20').map((entry) => entry.pid),
    [20],
  );
  assert.equal(filterProcesses(rows, '').length, rows.length);
});

test('the tree puts children under their parents, siblings in sort order, with branches drawn', () => {
  const tree = treeOrder(rows, 'cpu', true).map(({ row: entry, prefix }) => `${prefix}${entry.pid}`);
  assert.deepEqual(tree, ['1', '├─ 20', '│  ├─ 300', '│  └─ 301', '└─ 4000']);
  const ascii = treeOrder(rows, 'cpu', false).map(({ prefix }) => prefix);
  assert.deepEqual(ascii, ['', '|- ', '|  |- ', '|  `- ', '`- ']);
  const orphan = treeOrder([row(7, 6), row(6, 7)], 'cpu', true);
  assert.equal(orphan.length, 0, 'a ppid loop (a racy read) has no root and draws nothing rather than hang');
});

test('CPU time reads as top shows it', () => {
  assert.equal(formatCpuTime(0), '0:00.00');
  assert.equal(formatCpuTime(12_345), '2:03.45');
  assert.equal(formatCpuTime(100 * 60 * 150), '2h30m');
});

test('the panel fits its width, shows the view, and scrolls within the list', () => {
  const snapshot = {
    processes: rows,
    counts: { total: 5, running: 0, sleeping: 4, uninterruptible: 1, stopped: 1, zombie: 1, threads: 5 },
  };
  const style = { color: false, unicode: true };
  for (const width of [40, 80, 120, 200]) {
    const view = processLines(snapshot, { ...initialViewState(2), tree: true, paused: true }, width, 10, style);
    for (const line of view.lines) assert.ok(cellWidth(line) <= width, `${width}: "${line}"`);
  }
  const view = processLines(snapshot, { ...initialViewState(2), scroll: 99 }, 120, 5, style);
  assert.equal(view.page, 3);
  assert.equal(view.scroll, 2, 'scrolled no further than the last page');
  assert.match(view.lines[0] ?? '', /^Tasks 5, 5 thr: 0 run, 4 sleep, 1 D, 1 stop, 1 zombie/);
  assert.deepEqual(processLines(snapshot, initialViewState(2), 80, 0, style).lines, []);
  assert.equal(processLines(snapshot, initialViewState(2), 80, 1, style).lines.length, 1);
  const editing = processLines(snapshot, { ...initialViewState(2), editingFilter: true, filter: 'zz' }, 80, 5, style);
  assert.match(editing.lines.join('\n'), /filter: zz▏/);
  assert.match(editing.lines.join('\n'), /no process matches "zz"/);
});
