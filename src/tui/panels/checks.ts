import { SEVERITY, type CheckResult } from '../../result.ts';
import { formatClock } from '../../format/units.ts';
import type { StatusEvent } from '../top-data.ts';
import { fit, printable } from '../../format/cells.ts';
import { paint, STATUS_COLOUR, type Style } from '../widgets/style.ts';

/**
 * The check strip: every check and instance that is not OK, worst first, with the details line that says why
 * ("disk /  CRIT  96.8% used … [CRIT used_percent=96.8 (≥ 90)]"). Nothing when everything is OK: the header
 * says so, and the lines go to the processes.
 */
export function checkLines(
  results: readonly CheckResult[],
  width: number,
  maxLines: number,
  style: Style,
  events: readonly StatusEvent[] = [],
): string[] {
  if (maxLines <= 0) return [];
  const bad = results
    .filter((result) => result.status !== 'OK')
    .sort((a, b) => SEVERITY[b.status] - SEVERITY[a.status]);
  if (bad.length === 0) return eventLines(events, width, Math.min(2, maxLines), style);
  const shown = bad.length > maxLines ? bad.slice(0, maxLines - 1) : bad;
  const lines = shown.map((result) => {
    const status = paint(style, STATUS_COLOUR[result.status], fit(result.status, 7));
    const what = printable(`${result.name}${result.instance === undefined ? '' : ` ${result.instance}`}`);
    return `${status} ${fit(`${what}: ${printable(result.details)}`, width - 8)}`;
  });
  if (shown.length < bad.length) lines.push(fit(`+${bad.length - shown.length} more not OK (argus status)`, width));
  return [...lines, ...eventLines(events, width, Math.min(2, maxLines - lines.length), style)];
}

/** The latest status changes, newest first: "05:41 disk / OK→CRIT 96.8% used …". */
export function eventLines(events: readonly StatusEvent[], width: number, maxLines: number, style: Style): string[] {
  if (maxLines <= 0) return [];
  return events
    .slice(-maxLines)
    .reverse()
    .map((event) => {
      const time = formatClock(event.atMs);
      const what = printable(`${event.check}${event.instance === undefined ? '' : ` ${event.instance}`}`);
      const change = `${event.from === undefined ? '' : `${event.from}${style.unicode ? '→' : '->'}`}${event.to}`;
      const prefix = `${paint(style, 'grey', time)} ${paint(style, STATUS_COLOUR[event.to], change)} `;
      const room = width - time.length - change.length - 2;
      return `${prefix}${fit(`${what}: ${printable(event.details)}`, Math.max(0, room)).trimEnd()}`;
    });
}
