import { fieldCursor, hasField, nextField, nextLine, nextNumber } from './field-cursor.ts';
import { procPath, type Host } from './host.ts';

/** Cumulative I/O counters of one block device (Documentation/admin-guide/iostats.rst). */
export interface DiskCounters {
  name: string;
  readsCompleted: number;
  sectorsRead: number;
  writesCompleted: number;
  sectorsWritten: number;
  readTimeMs: number;
  writeTimeMs: number;
  ioInProgress: number;
  ioTicksMs: number;
  /** The rest of the line, which only node_exporter's series show (discard: 4.18+, flush: 5.5+). */
  readsMerged?: number;
  writesMerged?: number;
  weightedIoMs?: number;
  discardsCompleted?: number;
  discardsMerged?: number;
  sectorsDiscarded?: number;
  discardTimeMs?: number;
  flushRequests?: number;
  flushTimeMs?: number;
  major?: string;
  minor?: string;
}

/** Keyed by "major:minor". Sectors are always 512 bytes here, whatever the device's real sector size. */
export function parseDiskstats(text: string): Map<string, DiskCounters> {
  const devices = new Map<string, DiskCounters>();
  const line = fieldCursor(text);
  while (nextLine(line)) {
    // Fields 1-14 of iostats.rst; the kernel appends discard and flush counters after them.
    const major = nextField(line);
    const minor = nextField(line);
    const name = nextField(line);
    const readsCompleted = nextNumber(line);
    const readsMerged = nextNumber(line);
    const sectorsRead = nextNumber(line);
    const readTimeMs = nextNumber(line);
    const writesCompleted = nextNumber(line);
    const writesMerged = nextNumber(line);
    const sectorsWritten = nextNumber(line);
    const writeTimeMs = nextNumber(line);
    const ioInProgress = nextNumber(line);
    const ioTicksMs = nextNumber(line);
    if (!hasField(line)) continue;
    const counters: DiskCounters = {
      name,
      major,
      minor,
      readsCompleted,
      sectorsRead,
      writesCompleted,
      sectorsWritten,
      readTimeMs,
      writeTimeMs,
      ioInProgress,
      ioTicksMs,
      readsMerged,
      writesMerged,
      weightedIoMs: nextNumber(line),
    };
    if (hasField(line)) {
      counters.discardsCompleted = nextNumber(line);
      counters.discardsMerged = nextNumber(line);
      counters.sectorsDiscarded = nextNumber(line);
      counters.discardTimeMs = nextNumber(line);
    }
    if (hasField(line)) {
      counters.flushRequests = nextNumber(line);
      counters.flushTimeMs = nextNumber(line);
    }
    devices.set(`${major}:${minor}`, counters);
  }
  return devices;
}

export const readDiskstats = (host: Host): Map<string, DiskCounters> =>
  parseDiskstats(host.tryReadText(procPath(host, 'diskstats')) ?? '');

export const SECTOR_BYTES = 512;
