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
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 14) continue;
    const [major, minor, name] = fields;
    const number = (index: number): number => Number(fields[index]);
    devices.set(`${major}:${minor}`, {
      name: name ?? '',
      readsCompleted: number(3),
      sectorsRead: number(5),
      writesCompleted: number(7),
      sectorsWritten: number(9),
      readTimeMs: number(6),
      writeTimeMs: number(10),
      ioInProgress: number(11),
      ioTicksMs: number(12),
    });
  }
  return devices;
}

export const readDiskstats = (host: Host): Map<string, DiskCounters> =>
  parseDiskstats(host.tryReadText(procPath(host, 'diskstats')) ?? '');

export const SECTOR_BYTES = 512;
