import { formatBytesShort } from '../../format/units.ts';
import type { CheckResult } from '../../result.ts';
import type { TopData } from '../top-data.ts';
import { sparkline } from '../../format/sparkline.ts';
import { recentPoints } from '../widgets/ring.ts';
import { fit, printable, truncateMiddle } from '../../format/cells.ts';
import { paint, STATUS_COLOUR, type Style } from '../widgets/style.ts';
import { loadColour, meter } from './meter.ts';

const rate = (value: number | undefined): string => (value === undefined ? '-' : `${formatBytesShort(value)}/s`);

const resultsOf = (data: TopData, name: string): CheckResult[] =>
  data.results.filter((result) => result.name === name && result.instance !== undefined);

/**
 * One line per mount, from the disk check (so a hung NFS mount is its UNKNOWN, never a frozen screen): usage bar
 * in the colour of the check's verdict, free space, and read/write rates when the width allows.
 */
export function diskLines(data: TopData, width: number, maxLines: number, style: Style): string[] {
  const disks = resultsOf(data, 'disk');
  if (disks.length === 0 || maxLines <= 0) return [];
  const shown = disks.length > maxLines ? disks.slice(0, maxLines - 1) : disks;
  const nameWidth = Math.min(16, Math.max(4, ...shown.map((disk) => (disk.instance ?? '').length)));
  const withRates = width >= 60;
  const lines = shown.map((disk) => {
    const name = truncateMiddle(printable(disk.instance ?? ''), nameWidth, style.unicode ? '…' : '~');
    const used = disk.metrics.used_percent;
    if (used === undefined)
      return fit(`${fit(name, nameWidth)} ${paint(style, 'magenta', disk.status)} ${printable(disk.details)}`, width);
    const free = disk.metrics.free_bytes;
    const value = `${Math.round(used)}% ${free === undefined ? '' : `${formatBytesShort(free)} free`}`;
    const io = withRates
      ? ` r ${fit(rate(disk.metrics.read_bytes_per_second), 7, 'right')} w ${fit(rate(disk.metrics.write_bytes_per_second), 7, 'right')}`
      : '';
    const colour = disk.status === 'OK' ? loadColour(used) : STATUS_COLOUR[disk.status];
    return meter(name, nameWidth, [{ percent: used, colour }], value, 13, width - io.length, style) + io;
  });
  if (shown.length < disks.length) lines.push(fit(`+${disks.length - shown.length} more mounts`, width));
  return lines;
}

/** One line per interface: receive and transmit rates, each with its sparkline when the width allows. */
export function networkLines(data: TopData, width: number, maxLines: number, style: Style): string[] {
  const interfaces = resultsOf(data, 'network');
  if (interfaces.length === 0 || maxLines <= 0) return [];
  const shown = interfaces.length > maxLines ? interfaces.slice(0, maxLines - 1) : interfaces;
  const nameWidth = Math.min(12, Math.max(4, ...shown.map((entry) => (entry.instance ?? '').length)));
  const [down, up] = style.unicode ? ['↓', '↑'] : ['rx', 'tx'];
  const lines = shown.map((entry) => {
    const name = fit(printable(entry.instance ?? ''), nameWidth);
    const rx = fit(rate(entry.metrics.rx_bytes_per_second), 7, 'right');
    const tx = fit(rate(entry.metrics.tx_bytes_per_second), 7, 'right');
    const room = Math.floor((width - nameWidth - 2 * (down.length + 9) - 3) / 2);
    const history = data.networkHistory.get(entry.instance ?? '');
    if (room < 6 || !history) return fit(`${name} ${down} ${rx} ${up} ${tx}`, width);
    const sparkRx = paint(
      style,
      'green',
      sparkline(recentPoints(history.rx.all, room), { min: 0, ascii: !style.unicode }),
    );
    const sparkTx = paint(
      style,
      'cyan',
      sparkline(recentPoints(history.tx.all, room), { min: 0, ascii: !style.unicode }),
    );
    return `${name} ${down} ${rx} ${sparkRx} ${up} ${tx} ${sparkTx}`;
  });
  if (shown.length < interfaces.length) lines.push(fit(`+${interfaces.length - shown.length} more interfaces`, width));
  return lines;
}

/** Sensors and GPUs, packed several to a line: "nvme/Composite 43°C  coretemp/Package 61°C". */
export function sensorLines(data: TopData, width: number, maxLines: number, style: Style): string[] {
  const degree = style.unicode ? '°C' : 'C';
  const items: { text: string; colour: Parameters<typeof paint>[1] }[] = [];
  for (const gpu of resultsOf(data, 'gpu')) {
    const parts = [`GPU ${gpu.instance ?? ''}`];
    if (gpu.metrics.utilization_percent !== undefined) parts.push(`${Math.round(gpu.metrics.utilization_percent)}%`);
    if (gpu.metrics.memory_used_bytes !== undefined && gpu.metrics.memory_total_bytes !== undefined)
      parts.push(
        `${formatBytesShort(gpu.metrics.memory_used_bytes)}/${formatBytesShort(gpu.metrics.memory_total_bytes)}`,
      );
    if (gpu.metrics.temperature_celsius !== undefined)
      parts.push(`${Math.round(gpu.metrics.temperature_celsius)}${degree}`);
    if (gpu.metrics.power_watts !== undefined) parts.push(`${Math.round(gpu.metrics.power_watts)}W`);
    items.push({
      text: printable(parts.join(' ')),
      colour: gpu.status === 'OK' ? undefined : STATUS_COLOUR[gpu.status],
    });
  }
  for (const sensor of resultsOf(data, 'temperature')) {
    const value = sensor.metrics.temperature_celsius;
    if (value === undefined) continue;
    items.push({
      text: printable(`${sensor.instance ?? ''} ${Math.round(value)}${degree}`),
      colour: sensor.status === 'OK' ? undefined : STATUS_COLOUR[sensor.status],
    });
  }
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const item of items) {
    const cells = item.text.length + (used > 0 ? 2 : 0);
    if (used > 0 && used + cells > width) {
      lines.push(line);
      if (lines.length >= maxLines) return lines;
      line = '';
      used = 0;
    }
    const text = item.text.length > width ? fit(item.text, width) : item.text;
    line += (used > 0 ? '  ' : '') + paint(style, item.colour, text);
    used += used > 0 ? text.length + 2 : text.length;
  }
  if (used > 0 && lines.length < maxLines) lines.push(line);
  return lines;
}
