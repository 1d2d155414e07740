import Table from 'cli-table3';
import { styleText } from 'node:util';
import { cellWidth, fit, printable, truncateMiddle } from '../format/cells.ts';
import { SEVERITY, STATUSES, worstStatus, type Batch, type CheckResult, type Status } from '../result.ts';
import { inContainerScope } from './json.ts';
import type { Sink, TerminalDeps } from './sink.ts';

const STATUS_STYLE: Record<Status, Parameters<typeof styleText>[0]> = {
  OK: 'green',
  WARN: 'yellow',
  CRIT: ['red', 'bold'],
  UNKNOWN: 'magenta',
};

const paint = (deps: Pick<TerminalDeps, 'color'>, status: Status): string =>
  deps.color ? styleText(STATUS_STYLE[status], status) : status;

function headerOf(batch: Batch, deps: Pick<TerminalDeps, 'color'>): string {
  const counts = STATUSES.map(
    (status) => [status, batch.results.filter((result) => result.status === status).length] as const,
  )
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${paint(deps, status)}`)
    .join(', ');
  const overall = paint(deps, worstStatus(batch.results.map((result) => result.status)));
  const scope = inContainerScope(batch) ? ' (container)' : '';
  return `${batch.host}${scope}  ${batch.timestamp}  ${overall}  (${counts || 'no results'})`;
}

export function renderTable(batch: Batch, deps: Pick<TerminalDeps, 'color' | 'columns'>): string {
  const header = headerOf(batch, deps);
  const fixed = 40;
  const detailsWidth = Math.max(30, deps.columns - fixed);
  const table = new Table({
    head: ['CHECK', 'INSTANCE', 'STATUS', 'DETAILS'],
    style: { head: deps.color ? ['cyan'] : [], border: deps.color ? ['grey'] : [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    colWidths: [null, null, null, detailsWidth],
    wordWrap: true,
    wrapOnWordBoundary: true,
  });
  for (const result of batch.results)
    table.push([result.name, result.instance ?? '', paint(deps, result.status), result.details]);
  return `${header}\n${table.toString()}\n`;
}

/** Below this width the bordered table cannot hold a details column worth reading: one line per result instead. */
const COMPACT_BELOW = 60;

/**
 * The table for a terminal of `columns` x `rows`: nothing wraps (details end in "…", long instances such as mount
 * paths lose their middle), and when the results outnumber the rows the worst are kept, with a line saying how
 * many are not shown, so the header never scrolls away.
 */
export function renderTableToFit(
  batch: Batch,
  deps: Pick<TerminalDeps, 'color'>,
  columns: number,
  screenRows: number,
  messages: readonly string[] = [],
): string {
  // The latest log lines, one row each, under the table: at most 3, and never more than a third of the screen.
  const notes = messages.slice(messages.length - Math.min(3, Math.floor(screenRows / 3)));
  const noted = notes.map((line) => `\n${fit(printable(line), columns).trimEnd()}`).join('');
  const rows = screenRows - notes.length;
  const plainHeader = headerOf(batch, { color: false });
  const header = fit(plainHeader, columns).trimEnd();
  const compact = columns < COMPACT_BELOW;
  const room = Math.max(1, rows - (compact ? 2 : 5)); // header, (borders and column titles), the "more" line
  let results: readonly CheckResult[] = batch.results;
  let hidden = 0;
  if (results.length > room) {
    const order = results.map((result, index) => ({ result, index }));
    order.sort((a, b) => SEVERITY[b.result.status] - SEVERITY[a.result.status] || a.index - b.index);
    const kept = new Set(order.slice(0, room - 1).map((entry) => entry.index));
    results = batch.results.filter((_, index) => kept.has(index));
    hidden = batch.results.length - results.length;
  }
  const more = hidden > 0 ? `\n${fit(`+${hidden} more (worst shown first; -o json for all)`, columns).trimEnd()}` : '';
  // The coloured header only when it fits whole: cutting through its colour codes would leave them open.
  const useful = deps.color && cellWidth(plainHeader) <= columns ? headerOf(batch, deps) : header;
  if (compact) {
    const lines = results.map((result) => {
      const instance =
        result.instance === undefined
          ? ''
          : ` ${truncateMiddle(printable(result.instance), Math.max(8, Math.floor((columns - 8) / 2)))}`;
      const what = `${printable(result.name)}${instance}`;
      return `${paint(deps, result.status)}${' '.repeat(Math.max(1, 8 - result.status.length))}${fit(`${what}: ${printable(result.details)}`, columns - 8).trimEnd()}`;
    });
    return `${useful}\n${lines.join('\n')}${more}${noted}\n`;
  }
  const inner = columns - 5; // five borders around four columns
  const checkWidth = Math.min(14, Math.max(7, ...results.map((result) => cellWidth(result.name) + 2)));
  const statusWidth = 9;
  const instanceWidth = Math.min(
    Math.max(10, ...results.map((result) => cellWidth(printable(result.instance ?? '')) + 2)),
    Math.max(10, Math.floor(inner * 0.3)),
  );
  const detailsWidth = inner - checkWidth - statusWidth - instanceWidth;
  const table = new Table({
    head: ['CHECK', 'INSTANCE', 'STATUS', 'DETAILS'],
    style: { head: deps.color ? ['cyan'] : [], border: deps.color ? ['grey'] : [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    colWidths: [checkWidth, instanceWidth, statusWidth, detailsWidth],
    wordWrap: false,
  });
  for (const result of results)
    table.push([
      fit(printable(result.name), checkWidth - 2).trimEnd(),
      truncateMiddle(printable(result.instance ?? ''), instanceWidth - 2),
      paint(deps, result.status),
      fit(printable(result.details), detailsWidth - 2).trimEnd(),
    ]);
  return `${useful}\n${table.toString()}${more}${noted}\n`;
}

/**
 * Human output. On a terminal each cycle redraws in place (cursor home, clear below), like top; on a pipe
 * cycles are appended, so `argus status | tee log` keeps them all.
 */
export function createTableSink(deps: TerminalDeps): Sink {
  let first = true;
  return {
    write(batch) {
      if (!deps.isTTY) {
        const text = renderTable(batch, deps);
        deps.stdout(first ? text : `\n${text}`);
      } else {
        const size = deps.size?.() ?? { columns: deps.columns, rows: 1000 };
        const fitted = renderTableToFit(batch, deps, size.columns, size.rows, deps.messages?.());
        const frame = fitted.replace(/\n/g, '\x1b[K\n');
        deps.stdout(`${first ? '\x1b[2J' : ''}\x1b[H${frame}\x1b[J`);
      }
      first = false;
    },
  };
}
