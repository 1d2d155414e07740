import { procPath, type Host } from './host.ts';

export interface Meminfo {
  totalBytes: number;
  availableBytes: number;
  freeBytes: number;
  swapTotalBytes: number;
  swapFreeBytes: number;
  /** Every field as the kernel lists it, in bytes where the kernel gave kB (HugePages_* are counts). */
  fields: readonly MeminfoField[];
}

export interface MeminfoField {
  name: string;
  value: number;
  isBytes: boolean;
}

/** Parses /proc/meminfo; values there are in KiB even though the kernel writes "kB". */
export function parseMeminfo(text: string): Meminfo {
  const fields = new Map<string, number>();
  const all: MeminfoField[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const rest = line.slice(colon + 1).trim();
    const space = rest.indexOf(' ');
    const value = Number(space < 0 ? rest : rest.slice(0, space));
    if (!Number.isFinite(value)) continue;
    const name = line.slice(0, colon);
    const isBytes = space >= 0;
    fields.set(name, isBytes ? value * 1024 : value);
    all.push({ name, value: isBytes ? value * 1024 : value, isBytes });
  }
  const totalBytes = fields.get('MemTotal');
  const freeBytes = fields.get('MemFree');
  if (totalBytes === undefined || freeBytes === undefined)
    throw new SyntaxError('Cannot parse /proc/meminfo: MemTotal or MemFree missing');
  // MemAvailable exists since Linux 3.14; before it, free + buffers + page cache is the usual estimate.
  const availableBytes =
    fields.get('MemAvailable') ?? freeBytes + (fields.get('Buffers') ?? 0) + (fields.get('Cached') ?? 0);
  return {
    totalBytes,
    availableBytes: Math.min(availableBytes, totalBytes),
    freeBytes,
    swapTotalBytes: fields.get('SwapTotal') ?? 0,
    swapFreeBytes: fields.get('SwapFree') ?? 0,
    fields: all,
  };
}

export const readMeminfo = (host: Host): Meminfo => parseMeminfo(host.readText(procPath(host, 'meminfo')));
