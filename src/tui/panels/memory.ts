import { formatBytesShort } from '../../format/units.ts';
import type { TopData } from '../top-data.ts';
import { fit } from '../../format/cells.ts';
import type { Style } from '../widgets/style.ts';
import { meter } from './meter.ts';

/**
 * Used from MemAvailable (what `free` calls available), with buff/cache drawn after it in blue. In a container with
 * a memory limit the ram check reports the container's figures (`scope: container`), and so does this meter:
 * /proc/meminfo there is the host's, and a container is killed at its own limit, not the host's.
 */
export function memoryLine(data: TopData, width: number, style: Style): string {
  const container = data.results.find((result) => result.name === 'ram' && result.labels?.scope === 'container');
  const limit = container?.metrics.total_bytes;
  const usedInContainer = container?.metrics.used_bytes;
  if (limit !== undefined && limit > 0 && usedInContainer !== undefined)
    return meter(
      'Mem',
      4,
      [{ percent: (usedInContainer / limit) * 100, colour: 'green' }],
      `${formatBytesShort(usedInContainer)}/${formatBytesShort(limit)} ctr`,
      15,
      width,
      style,
    );
  const memory = data.latest?.memory;
  if (!memory || memory.totalBytes <= 0) return fit('Mem …', width);
  const used = memory.totalBytes - memory.availableBytes;
  const cache = Math.min(memory.buffersBytes + memory.cachedBytes, memory.availableBytes);
  const percent = (bytes: number) => (bytes / memory.totalBytes) * 100;
  return meter(
    'Mem',
    4,
    [
      { percent: percent(used), colour: 'green' },
      { percent: percent(cache), colour: 'blue' },
    ],
    `${formatBytesShort(used)}/${formatBytesShort(memory.totalBytes)}`,
    11,
    width,
    style,
  );
}

export function swapLine(data: TopData, width: number, style: Style): string | undefined {
  const memory = data.latest?.memory;
  if (!memory) return undefined;
  if (memory.swapTotalBytes <= 0) return fit('Swp none', width);
  const used = memory.swapTotalBytes - memory.swapFreeBytes;
  return meter(
    'Swp',
    4,
    [{ percent: (used / memory.swapTotalBytes) * 100, colour: 'red' }],
    `${formatBytesShort(used)}/${formatBytesShort(memory.swapTotalBytes)}`,
    11,
    width,
    style,
  );
}

/** PSI, when the kernel has it: the share of the last 10 s that tasks stalled on CPU, memory and I/O. */
export function pressureLine(data: TopData, width: number): string | undefined {
  const pressure = data.latest?.pressure;
  if (!pressure || Object.keys(pressure).length === 0) return undefined;
  const part = (name: string, value: number | undefined) =>
    value === undefined ? '' : ` ${name} ${value.toFixed(1)}%`;
  return fit(
    `PSI${part('cpu', pressure.cpu)}${part('mem', pressure.memory)}${part('io', pressure.io)} (stalled, 10 s)`,
    width,
  );
}
