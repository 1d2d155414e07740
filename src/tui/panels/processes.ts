import { sortProcesses, type ProcessRow, type ProcessSnapshot } from '../../collect/process-sampler.ts';
import { USER_HZ } from '../../collect/proc-stat.ts';
import { formatBytesShort } from '../../format/units.ts';
import type { SortKey, ViewState } from '../view-state.ts';
import { cellWidth, fit, printable, truncate } from '../../format/cells.ts';
import { paint, type Colour, type Style } from '../widgets/style.ts';

/** CPU time as top's TIME+ shows it: "12:34.56" (minutes, seconds, hundredths), "27h12m" past 100 minutes. */
export function formatCpuTime(ticks: number): string {
  const hundredths = Math.round((ticks * 100) / USER_HZ);
  const totalSeconds = Math.floor(hundredths / 100);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes >= 100) return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
  return `${minutes}:${String(totalSeconds % 60).padStart(2, '0')}.${String(hundredths % 100).padStart(2, '0')}`;
}

export const SORT_TITLE: Readonly<Record<SortKey, string>> = { cpu: 'CPU%', memory: 'RSS', io: 'I/O', time: 'TIME+' };

/** Case-insensitive substring of the name, user or command line; the empty filter keeps everything. */
export function filterProcesses(rows: readonly ProcessRow[], filter: string): ProcessRow[] {
  if (filter === '') return [...rows];
  const needle = filter.toLowerCase();
  return rows.filter(
    (row) =>
      row.name.toLowerCase().includes(needle) ||
      row.user.toLowerCase().includes(needle) ||
      row.command.toLowerCase().includes(needle) ||
      String(row.pid) === filter,
  );
}

/**
 * Parents before their children, siblings in sort order, each row with the branch drawn before its command
 * ("├─ ", "└─ ", "│  "). A process whose parent is not shown (filtered out, or PID 0's children) is a root.
 */
export function treeOrder(
  rows: readonly ProcessRow[],
  key: SortKey,
  unicode: boolean,
): { row: ProcessRow; prefix: string }[] {
  const sorted = sortProcesses(rows, key);
  const shown = new Set(sorted.map((row) => row.pid));
  const children = new Map<number, ProcessRow[]>();
  const roots: ProcessRow[] = [];
  for (const row of sorted) {
    if (row.ppid !== row.pid && shown.has(row.ppid)) {
      const list = children.get(row.ppid) ?? [];
      list.push(row);
      children.set(row.ppid, list);
    } else roots.push(row);
  }
  const [tee, corner, pipe, blank] = unicode ? ['├─ ', '└─ ', '│  ', '   '] : ['|- ', '`- ', '|  ', '   '];
  const out: { row: ProcessRow; prefix: string }[] = [];
  const visit = (row: ProcessRow, indent: string, branch: string, depth: number): void => {
    out.push({ row, prefix: indent + branch });
    const kids = children.get(row.pid) ?? [];
    // A depth cap keeps a pathological chain (or a ppid loop from a racy read) from recursing without end.
    if (depth > 64) return;
    kids.forEach((kid, index) => {
      const last = index === kids.length - 1;
      const nextIndent = depth === 0 ? '' : indent + (branch === tee ? pipe : blank);
      visit(kid, nextIndent, last ? corner : tee, depth + 1);
    });
  };
  for (const root of roots) visit(root, '', '', 0);
  return out;
}

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
  /** Lower goes first when the terminal is narrow. */
  keep: number;
  cell(row: ProcessRow): string;
  colour?(row: ProcessRow): Colour | undefined;
}

const STATE_COLOUR: Readonly<Record<string, Colour>> = { R: 'green', D: 'red', Z: 'magenta', T: 'yellow', t: 'yellow' };

const percent = (value: number | undefined): string =>
  value === undefined ? '-' : value >= 99.95 ? value.toFixed(0) : value.toFixed(1);
const rate = (value: number | undefined): string => (value === undefined ? '-' : formatBytesShort(value));

function columnsFor(sort: SortKey): Column[] {
  const ioKeep = sort === 'io' ? 9 : 2;
  return [
    { title: 'PID', width: 7, align: 'right', keep: 10, cell: (row) => String(row.pid) },
    { title: 'USER', width: 9, align: 'left', keep: 6, cell: (row) => printable(row.user) },
    {
      title: 'S',
      width: 1,
      align: 'left',
      keep: 7,
      cell: (row) => row.state,
      colour: (row) => STATE_COLOUR[row.state],
    },
    { title: 'CPU%', width: 5, align: 'right', keep: 9, cell: (row) => percent(row.cpuPercent) },
    { title: 'MEM%', width: 5, align: 'right', keep: 8, cell: (row) => percent(row.memPercent) },
    {
      title: 'RSS',
      width: 5,
      align: 'right',
      keep: sort === 'memory' ? 9 : 5,
      cell: (row) => formatBytesShort(row.rssBytes),
    },
    { title: 'THR', width: 4, align: 'right', keep: 3, cell: (row) => String(row.threads) },
    { title: 'READ/s', width: 6, align: 'right', keep: ioKeep, cell: (row) => rate(row.readBytesPerSecond) },
    { title: 'WRIT/s', width: 6, align: 'right', keep: ioKeep, cell: (row) => rate(row.writeBytesPerSecond) },
    {
      title: 'TIME+',
      width: 8,
      align: 'right',
      keep: sort === 'time' ? 9 : 1,
      cell: (row) => formatCpuTime(row.cpuTicks),
    },
  ];
}

/** The command keeps at least this many cells; columns are dropped, least kept first, to leave it that. */
const MIN_COMMAND = 20;

function chooseColumns(width: number, sort: SortKey): Column[] {
  const all = columnsFor(sort);
  const chosen = new Set(all);
  const used = () => [...chosen].reduce((sum, column) => sum + column.width + 1, 0);
  for (const column of [...all].sort((a, b) => a.keep - b.keep)) {
    if (used() + MIN_COMMAND <= width) break;
    chosen.delete(column);
  }
  return all.filter((column) => chosen.has(column));
}

export interface ProcessView {
  lines: string[];
  /** How many process rows fit, for page-wise scrolling. */
  page: number;
  /** The scroll offset actually used (the state's, clamped to the list). */
  scroll: number;
}

/**
 * The process panel: a title with the task counts and the view (sort, filter, tree, paused), the column header,
 * and as many rows as `height` leaves, each exactly fitted to the width.
 */
export function processLines(
  snapshot: ProcessSnapshot | undefined,
  state: ViewState,
  width: number,
  height: number,
  style: Style,
): ProcessView {
  if (height <= 0) return { lines: [], page: 0, scroll: 0 };
  const counts = snapshot?.counts;
  const title = counts
    ? `Tasks ${counts.total}, ${counts.threads} thr: ${counts.running} run, ${counts.sleeping} sleep` +
      `${counts.uninterruptible > 0 ? `, ${counts.uninterruptible} D` : ''}${counts.stopped > 0 ? `, ${counts.stopped} stop` : ''}${counts.zombie > 0 ? `, ${counts.zombie} zombie` : ''}`
    : 'Tasks …';
  const view = [
    `sort ${SORT_TITLE[state.sort]}`,
    state.tree ? 'tree' : '',
    state.kernelThreads ? 'kernel threads' : '',
    state.editingFilter
      ? `filter: ${state.filter}${style.unicode ? '▏' : '_'}`
      : state.filter !== ''
        ? `filter: ${state.filter}`
        : '',
    state.paused ? 'PAUSED' : '',
  ].filter((part) => part !== '');
  const viewText = printable(view.join('  '));
  const titleLine =
    cellWidth(title) + 2 + cellWidth(viewText) <= width
      ? `${title}${' '.repeat(width - cellWidth(title) - cellWidth(viewText))}${paint(style, state.paused || state.editingFilter ? 'yellow' : 'cyan', viewText)}`
      : fit(state.editingFilter || state.paused ? viewText : title, width);
  const lines = [titleLine];
  if (height === 1) return { lines, page: 0, scroll: 0 };
  const columns = chooseColumns(width, state.sort);
  const fixed = columns.reduce((sum, column) => sum + column.width + 1, 0);
  const commandWidth = Math.max(0, width - fixed);
  const header =
    columns.map((column) => fit(column.title, column.width, column.align)).join(' ') +
    (commandWidth > 0 ? ` ${fit('COMMAND', commandWidth - 1)}` : '');
  lines.push(paint(style, 'inverse', fit(header, width)));
  const listed = state.kernelThreads
    ? (snapshot?.processes ?? [])
    : (snapshot?.processes ?? []).filter((row) => !row.kernelThread);
  const filtered = filterProcesses(listed, state.filter);
  const ordered = state.tree
    ? treeOrder(filtered, state.sort, style.unicode)
    : sortProcesses(filtered, state.sort).map((row) => ({ row, prefix: '' }));
  const page = height - 2;
  const scroll = Math.max(0, Math.min(state.scroll, ordered.length - page));
  for (const { row, prefix } of ordered.slice(scroll, scroll + page)) {
    const cells = columns.map((column) =>
      paint(style, column.colour?.(row), fit(column.cell(row), column.width, column.align)),
    );
    const command =
      commandWidth > 1
        ? ` ${truncate(prefix + printable(row.command), commandWidth - 1, style.unicode ? '…' : '~')}`
        : '';
    const dim = row.kernelThread || row.state === 'Z';
    lines.push(cells.join(' ') + (dim ? paint(style, 'grey', command) : command));
  }
  if (ordered.length === 0)
    lines.push(fit(state.filter === '' ? 'no processes' : `no process matches "${printable(state.filter)}"`, width));
  return { lines, page, scroll };
}
