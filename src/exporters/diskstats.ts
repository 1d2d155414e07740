import * as v from 'valibot';
import { readDiskstats, SECTOR_BYTES, type DiskCounters } from '../collect/diskstats.ts';
import { sysPath, type Host } from '../collect/host.ts';
import { nameFilter, regexSchema } from '../schema/regex.ts';
import { defineExporter } from './exporter.ts';
import { DISK } from './families.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

/**
 * node_exporter's default --collector.diskstats.device-exclude: partitions, loop and ram devices (a whole disk's
 * counters already hold its partitions').
 */
const DEFAULT_EXCLUDE = '^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$';

const counter = (name: string, help: string): ExportedFamily => ({ name, type: 'counter', help });
const MS = 0.001; // node_exporter multiplies: values then match its to the last bit
/** Fields of /proc/diskstats (Documentation/admin-guide/iostats.rst) → node_exporter's family and scale. */
const FIELDS: readonly [keyof DiskCounters, ExportedFamily, number][] = [
  ['readsCompleted', DISK.readsCompleted, 1],
  ['readsMerged', counter('node_disk_reads_merged_total', 'The total number of reads merged.'), 1],
  ['sectorsRead', DISK.readBytes, SECTOR_BYTES],
  ['readTimeMs', DISK.readTime, MS],
  ['writesCompleted', DISK.writesCompleted, 1],
  ['writesMerged', counter('node_disk_writes_merged_total', 'The number of writes merged.'), 1],
  ['sectorsWritten', DISK.writtenBytes, SECTOR_BYTES],
  ['writeTimeMs', DISK.writeTime, MS],
  ['ioInProgress', DISK.ioNow, 1],
  ['ioTicksMs', DISK.ioTime, MS],
  [
    'weightedIoMs',
    counter('node_disk_io_time_weighted_seconds_total', 'The weighted # of seconds spent doing I/Os.'),
    MS,
  ],
  [
    'discardsCompleted',
    counter('node_disk_discards_completed_total', 'The total number of discards completed successfully.'),
    1,
  ],
  ['discardsMerged', counter('node_disk_discards_merged_total', 'The total number of discards merged.'), 1],
  [
    'sectorsDiscarded',
    counter('node_disk_discarded_sectors_total', 'The total number of sectors discarded successfully.'),
    1,
  ],
  [
    'discardTimeMs',
    counter('node_disk_discard_time_seconds_total', 'This is the total number of seconds spent by all discards.'),
    MS,
  ],
  [
    'flushRequests',
    counter('node_disk_flush_requests_total', 'The total number of flush requests completed successfully'),
    1,
  ],
  [
    'flushTimeMs',
    counter(
      'node_disk_flush_requests_time_seconds_total',
      'This is the total number of seconds spent by all flush requests.',
    ),
    MS,
  ],
];
const INFO: ExportedFamily = { name: 'node_disk_info', type: 'gauge', help: 'Info of /sys/block/<block_device>.' };

/** udev's database entry of a block device (`E:KEY=value` lines), under the host's rootfs. */
function udevProperties(host: Host, major: string, minor: string): Map<string, string> {
  const text = host.tryReadText(host.fsPath(`/run/udev/data/b${major}:${minor}`)) ?? '';
  const properties = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('E:')) continue;
    const equals = line.indexOf('=');
    if (equals > 2) properties.set(line.slice(2, equals), line.slice(equals + 1));
  }
  return properties;
}

/** node_disk_info: what the device is, from udev's database (model, serial…) and /sys/block (rotational). */
function info(host: Host, counters: DiskCounters): ExportedSample {
  const major = counters.major ?? '';
  const minor = counters.minor ?? '';
  const udev = udevProperties(host, major, minor);
  const labels: Record<string, string> = {
    device: counters.name,
    major,
    minor,
    model: udev.get('ID_MODEL') ?? '',
    path: udev.get('ID_PATH') ?? '',
    revision: udev.get('ID_REVISION') ?? '',
    serial: udev.get('ID_SERIAL_SHORT') ?? '',
    wwn: udev.get('ID_WWN') ?? '',
  };
  // node_exporter reads queue stats that may be missing (device-mapper): its zero value, "0", then.
  labels.rotational = host.tryReadText(sysPath(host, 'block', counters.name, 'queue', 'rotational'))?.trim() || '0';
  return { family: INFO, labels, value: 1 };
}

/** node_exporter's diskstats collector: per block device, every counter of /proc/diskstats, and node_disk_info. */
export const diskstatsExporter = defineExporter({
  description: 'I/O counters per block device (reads, writes, merges, discards, flushes, time), from /proc/diskstats',
  options: v.strictObject({
    device_include: v.pipe(
      v.optional(regexSchema),
      v.description('Only these block devices (--collector.diskstats.device-include)'),
    ),
    device_exclude: v.pipe(
      v.optional(regexSchema, DEFAULT_EXCLUDE),
      v.description('Not these block devices (--collector.diskstats.device-exclude; default: partitions, loop, ram)'),
    ),
  }),
  collect: ({ host }, options) => {
    const wanted = nameFilter(options.device_include, options.device_exclude);
    const samples: ExportedSample[] = [];
    for (const counters of readDiskstats(host).values()) {
      if (!wanted(counters.name)) continue;
      const labels = { device: counters.name };
      samples.push(info(host, counters));
      for (const [field, family, scale] of FIELDS) {
        const value = counters[field];
        if (typeof value === 'number') samples.push({ family, labels, value: scale === 1 ? value : value * scale });
      }
    }
    return samples;
  },
});
