import { fieldCursor, hasField, nextField, nextLine, nextNumber, skipField } from './field-cursor.ts';
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
    skipField(line);
    const sectorsRead = nextNumber(line);
    const readTimeMs = nextNumber(line);
    const writesCompleted = nextNumber(line);
    skipField(line);
    const sectorsWritten = nextNumber(line);
    const writeTimeMs = nextNumber(line);
    const ioInProgress = nextNumber(line);
    const ioTicksMs = nextNumber(line);
    if (!hasField(line)) continue;
    devices.set(`${major}:${minor}`, {
      name,
      readsCompleted,
      sectorsRead,
      writesCompleted,
      sectorsWritten,
      readTimeMs,
      writeTimeMs,
      ioInProgress,
      ioTicksMs,
    });
  }
  return devices;
}

export const readDiskstats = (host: Host): Map<string, DiskCounters> =>
  parseDiskstats(host.tryReadText(procPath(host, 'diskstats')) ?? '');

export const SECTOR_BYTES = 512;
