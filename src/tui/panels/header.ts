import { worstStatus, type CheckResult, type Status } from '../../result.ts';
import { formatClock } from '../../format/units.ts';
import type { TopData } from '../top-data.ts';
import { cellWidth, fit, printable } from '../../format/cells.ts';
import { paint, STATUS_COLOUR, type Style } from '../widgets/style.ts';

export function formatUptime(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const clock = `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
  return days > 0 ? `${days}d ${clock}` : clock;
}

/** The overall status of what the checks found, and how many of each, "CRIT 1 · WARN 2", worst first. */
export function statusSummary(results: readonly CheckResult[]): { status: Status; text: string } {
  if (results.length === 0) return { status: 'OK', text: 'checks …' };
  const status = worstStatus(results.map((result) => result.status));
  const counts = (['CRIT', 'WARN', 'UNKNOWN'] as const)
    .map((level) => [level, results.filter((result) => result.status === level).length] as const)
    .filter(([, count]) => count > 0);
  return {
    status,
    text:
      counts.length === 0
        ? `OK ${results.length} checks`
        : counts.map(([level, count]) => `${level} ${count}`).join(' '),
  };
}

/**
 * "web-1  CRIT 1 WARN 2  up 3d 04:12  load 0.52 0.58 0.59  14:03:22  Ubuntu 24.04 LTS  6.8.0-45": segments drop
 * from the end as the width shrinks, so the host and its status always stay.
 */
export function headerLine(data: TopData, results: readonly CheckResult[], width: number, style: Style): string {
  const sample = data.latest;
  const summary = statusSummary(results);
  const time = sample?.takenAt ?? new Date();
  const segments: { text: string; colour?: Parameters<typeof paint>[1] }[] = [
    { text: printable(data.facts.hostname), colour: 'bold' },
    { text: summary.text, colour: STATUS_COLOUR[summary.status] },
  ];
  if (sample?.uptimeSeconds !== undefined) segments.push({ text: `up ${formatUptime(sample.uptimeSeconds)}` });
  if (sample?.load)
    segments.push({
      text: `load ${sample.load.load1.toFixed(2)} ${sample.load.load5.toFixed(2)} ${sample.load.load15.toFixed(2)}`,
    });
  segments.push({
    text: formatClock(time.getTime(), true),
  });
  if (data.facts.os !== '') segments.push({ text: printable(data.facts.os) });
  if (data.facts.kernel !== '') segments.push({ text: printable(data.facts.kernel) });
  let line = '';
  let used = 0;
  for (const [index, segment] of segments.entries()) {
    const gap = index === 0 ? 0 : 2;
    const cells = cellWidth(segment.text);
    if (used + gap + cells > width) {
      if (index < 2) return fit(`${segments[0]?.text ?? ''}  ${summary.text}`, width);
      break;
    }
    line += ' '.repeat(gap) + paint(style, segment.colour, segment.text);
    used += gap + cells;
  }
  return line;
}
