import { fieldCursor, hasField, nextLine, nextNumber } from './field-cursor.ts';
import { procPath, type Host } from './host.ts';

export interface Meminfo {
  totalBytes: number;
  availableBytes: number;
  freeBytes: number;
  swapTotalBytes: number;
  swapFreeBytes: number;
  /** Buffers and Cached (page cache): what `free` shows as buff/cache, part of the used-looking memory. */
  buffersBytes: number;
  cachedBytes: number;
  /** Every field as the kernel lists it, in bytes where the kernel gave kB (HugePages_* are counts); when asked. */
  fields?: readonly MeminfoField[];
}

export interface MeminfoField {
  name: string;
  value: number;
  isBytes: boolean;
}

/**
 * Parses /proc/meminfo; values there are in KiB even though the kernel writes "kB". The list of every field
 * (for node_exporter's node_memory_* series) is built only with `fields`: a loop that needs seven values
 * would otherwise make two objects for each of the file's 50-odd lines every cycle.
 */
export function parseMeminfo(text: string, options: { fields?: boolean } = {}): Meminfo {
  const wanted = new Map<string, number>();
  const all: MeminfoField[] | undefined = options.fields ? [] : undefined;
  const line = fieldCursor(text);
  while (nextLine(line)) {
    const start = line.position;
    const colon = text.indexOf(':', start);
    if (colon <= start || colon >= line.lineEnd) continue;
    line.position = colon + 1;
    const value = nextNumber(line);
    if (!Number.isFinite(value)) continue;
    const isBytes = hasField(line);
    const name = text.slice(start, colon);
    const normalized = isBytes ? value * 1024 : value;
    if (SUMMARY_FIELDS.has(name)) wanted.set(name, normalized);
    all?.push({ name, value: normalized, isBytes });
  }
  const totalBytes = wanted.get('MemTotal');
  const freeBytes = wanted.get('MemFree');
  if (totalBytes === undefined || freeBytes === undefined)
    throw new SyntaxError('Cannot parse /proc/meminfo: MemTotal or MemFree missing');
  // MemAvailable exists since Linux 3.14; before it, free + buffers + page cache is the usual estimate.
  const availableBytes =
    wanted.get('MemAvailable') ?? freeBytes + (wanted.get('Buffers') ?? 0) + (wanted.get('Cached') ?? 0);
  const meminfo: Meminfo = {
    totalBytes,
    availableBytes: Math.min(availableBytes, totalBytes),
    freeBytes,
    swapTotalBytes: wanted.get('SwapTotal') ?? 0,
    swapFreeBytes: wanted.get('SwapFree') ?? 0,
    buffersBytes: wanted.get('Buffers') ?? 0,
    cachedBytes: wanted.get('Cached') ?? 0,
  };
  if (all) meminfo.fields = all;
  return meminfo;
}

const SUMMARY_FIELDS = new Set(['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapTotal', 'SwapFree']);

export const readMeminfo = (host: Host, options: { fields?: boolean } = {}): Meminfo =>
  parseMeminfo(host.readText(procPath(host, 'meminfo')), options);
