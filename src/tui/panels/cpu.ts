import type { CpuUsage } from '../../collect/proc-stat.ts';
import type { TopData } from '../top-data.ts';
import type { Segment } from '../widgets/bar.ts';
import { sparkline } from '../../format/sparkline.ts';
import { recentPoints } from '../widgets/ring.ts';
import { fit } from '../../format/cells.ts';
import { paint, type Style } from '../widgets/style.ts';
import { meter } from './meter.ts';

/** user green, system red, iowait grey-blue, steal magenta: htop's colours, so its users read ours at once. */
export const cpuSegments = (usage: CpuUsage | undefined): Segment[] =>
  usage
    ? [
        { percent: usage.userPercent, colour: 'green' },
        { percent: usage.systemPercent, colour: 'red' },
        { percent: usage.iowaitPercent, colour: 'blue' },
        { percent: usage.stealPercent, colour: 'magenta' },
      ]
    : [];

const percentText = (usage: CpuUsage | undefined): string => (usage ? `${usage.busyPercent.toFixed(1)}%` : '…');

export function cpuTotalLine(data: TopData, width: number, style: Style): string {
  return meter('CPU', 4, cpuSegments(data.latest?.cpu), percentText(data.latest?.cpu), 6, width, style);
}

/** "usr 12.0 sys 3.1 io 0.4 st 0.0 · 10m ▁▂▅▇▃" : the split of the total and its recent history. */
export function cpuDetailLine(data: TopData, width: number, style: Style): string {
  const usage = data.latest?.cpu;
  const split = usage
    ? `${paint(style, 'green', 'usr')} ${usage.userPercent.toFixed(1)} ${paint(style, 'red', 'sys')} ${usage.systemPercent.toFixed(1)} ${paint(style, 'blue', 'io')} ${usage.iowaitPercent.toFixed(1)} ${paint(style, 'magenta', 'st')} ${usage.stealPercent.toFixed(1)}`
    : 'usr … sys … io … st …';
  const plain = usage
    ? `usr ${usage.userPercent.toFixed(1)} sys ${usage.systemPercent.toFixed(1)} io ${usage.iowaitPercent.toFixed(1)} st ${usage.stealPercent.toFixed(1)}`
    : 'usr … sys … io … st …';
  const room = width - plain.length - 6;
  if (room < 8) return fit(plain, width);
  return `${fit('', 4)} ${split} ${paint(style, 'cyan', sparkline(recentPoints(data.cpuHistory.all, room), { min: 0, max: 100, ascii: !style.unicode }))}`;
}

/**
 * The cores as a grid of small meters, as many columns as fit cells of at least `minCell`; undefined when even
 * that takes more than `maxLines` lines (the caller then leaves the cores out).
 */
export function coreLines(data: TopData, width: number, maxLines: number, style: Style): string[] | undefined {
  const cores = data.latest?.cores ?? [];
  if (cores.length === 0 || maxLines <= 0) return undefined;
  const labelWidth = String(cores.at(-1)?.core ?? 0).length + 1;
  for (const minCell of [26, 20, 16]) {
    const columns = Math.max(1, Math.min(cores.length, Math.floor((width + 1) / (minCell + 1))));
    const rows = Math.ceil(cores.length / columns);
    if (rows > maxLines) continue;
    const cell = Math.floor((width + 1) / columns) - 1;
    const lines: string[] = [];
    for (let row = 0; row < rows; row += 1) {
      const cells: string[] = [];
      for (let column = 0; column < columns; column += 1) {
        const entry = cores[column * rows + row]; // down the columns, as htop numbers them
        if (!entry) continue;
        cells.push(
          meter(
            `c${entry.core}`,
            labelWidth,
            cpuSegments(entry.usage),
            entry.usage ? `${Math.round(entry.usage.busyPercent)}%` : '…',
            4,
            cell,
            style,
          ),
        );
      }
      lines.push(cells.join(' '));
    }
    return lines;
  }
  return undefined;
}
