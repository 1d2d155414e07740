import { SEVERITY, type CheckResult } from '../../result.ts';
import { fit, printable } from '../../format/cells.ts';
import { paint, STATUS_COLOUR, type Style } from '../widgets/style.ts';

/**
 * The check strip: every check and instance that is not OK, worst first, with the details line that says why
 * ("disk /  CRIT  96.8% used … [CRIT used_percent=96.8 (≥ 90)]"). Nothing when everything is OK: the header
 * says so, and the lines go to the processes.
 */
export function checkLines(results: readonly CheckResult[], width: number, maxLines: number, style: Style): string[] {
  if (maxLines <= 0) return [];
  const bad = results
    .filter((result) => result.status !== 'OK')
    .sort((a, b) => SEVERITY[b.status] - SEVERITY[a.status]);
  if (bad.length === 0) return [];
  const shown = bad.length > maxLines ? bad.slice(0, maxLines - 1) : bad;
  const lines = shown.map((result) => {
    const status = paint(style, STATUS_COLOUR[result.status], fit(result.status, 7));
    const what = printable(`${result.name}${result.instance === undefined ? '' : ` ${result.instance}`}`);
    return `${status} ${fit(`${what}: ${printable(result.details)}`, width - 8)}`;
  });
  if (shown.length < bad.length) lines.push(fit(`+${bad.length - shown.length} more not OK (argus status)`, width));
  return lines;
}
