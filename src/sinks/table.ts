import Table from 'cli-table3';
import { styleText } from 'node:util';
import { STATUSES, worstStatus, type Batch, type Status } from '../result.ts';
import type { Sink, TerminalDeps } from './sink.ts';

const STATUS_STYLE: Record<Status, Parameters<typeof styleText>[0]> = {
  OK: 'green',
  WARN: 'yellow',
  CRIT: ['red', 'bold'],
  UNKNOWN: 'magenta',
};

const paint = (deps: Pick<TerminalDeps, 'color'>, status: Status): string =>
  deps.color ? styleText(STATUS_STYLE[status], status) : status;

export function renderTable(batch: Batch, deps: Pick<TerminalDeps, 'color' | 'columns'>): string {
  const counts = STATUSES.map(
    (status) => [status, batch.results.filter((result) => result.status === status).length] as const,
  )
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${paint(deps, status)}`)
    .join(', ');
  const overall = paint(deps, worstStatus(batch.results.map((result) => result.status)));
  const header = `${batch.host}  ${batch.timestamp}  ${overall}  (${counts || 'no results'})`;
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

/**
 * Human output. On a terminal each cycle redraws in place (cursor home, clear below), like top; on a pipe
 * cycles are appended, so `argus status | tee log` keeps them all.
 */
export function createTableSink(deps: TerminalDeps): Sink {
  let first = true;
  return {
    write(batch) {
      const text = renderTable(batch, deps);
      if (!deps.isTTY) {
        deps.stdout(first ? text : `\n${text}`);
      } else {
        const frame = text.replace(/\n/g, '\x1b[K\n');
        deps.stdout(`${first ? '\x1b[2J' : ''}\x1b[H${frame}\x1b[J`);
      }
      first = false;
    },
  };
}
