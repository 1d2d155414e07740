import type { InterfaceCounters } from '../collect/net-dev.ts';
import type { ExportedFamily } from './series.ts';

/**
 * node_exporter's families for what Argus also collects, with its names, types, units and help texts
 * (collector/{cpu,loadavg,meminfo,filesystem_common,netdev_common,diskstats_linux,thermal_zone_linux}.go,
 * 1.5 to 1.10),
 * so Grafana dashboards and alert rules written for it work against Argus unchanged.
 */
const family = (name: string, type: ExportedFamily['type'], help: string): ExportedFamily => ({ name, type, help });

export const CPU_SECONDS = family('node_cpu_seconds_total', 'counter', 'Seconds the CPUs spent in each mode.');
export const CPU_GUEST_SECONDS = family(
  'node_cpu_guest_seconds_total',
  'counter',
  'Seconds the CPUs spent in guests (VMs) for each mode.',
);
export const BOOT_TIME = family('node_boot_time_seconds', 'gauge', 'Node boot time, in unixtime.');
export const LOAD = {
  load1: family('node_load1', 'gauge', '1m load average.'),
  load5: family('node_load5', 'gauge', '5m load average.'),
  load15: family('node_load15', 'gauge', '15m load average.'),
};

const memoryFamilies = new Map<string, ExportedFamily>();
/** node_exporter names every /proc/meminfo field: "Active(anon)" becomes node_memory_Active_anon_bytes. */
export function memoryFamily(field: string, inBytes: boolean): ExportedFamily {
  const name = `node_memory_${field.replace(/\((.*)\)/, '_$1')}${inBytes ? '_bytes' : ''}`;
  let known = memoryFamilies.get(name);
  if (!known) {
    const suffix = name.slice('node_memory_'.length);
    known = family(name, 'gauge', `Memory information field ${suffix}.`);
    memoryFamilies.set(name, known);
  }
  return known;
}

export const FILESYSTEM = {
  avail: family('node_filesystem_avail_bytes', 'gauge', 'Filesystem space available to non-root users in bytes.'),
  free: family('node_filesystem_free_bytes', 'gauge', 'Filesystem free space in bytes.'),
  size: family('node_filesystem_size_bytes', 'gauge', 'Filesystem size in bytes.'),
  files: family('node_filesystem_files', 'gauge', 'Filesystem total file nodes.'),
  filesFree: family('node_filesystem_files_free', 'gauge', 'Filesystem total free file nodes.'),
  readonly: family('node_filesystem_readonly', 'gauge', 'Filesystem read-only status.'),
  deviceError: family(
    'node_filesystem_device_error',
    'gauge',
    'Whether an error occurred while getting statistics for the given device.',
  ),
};

export const DISK = {
  readsCompleted: family(
    'node_disk_reads_completed_total',
    'counter',
    'The total number of reads completed successfully.',
  ),
  readBytes: family('node_disk_read_bytes_total', 'counter', 'The total number of bytes read successfully.'),
  readTime: family('node_disk_read_time_seconds_total', 'counter', 'The total number of seconds spent by all reads.'),
  writesCompleted: family(
    'node_disk_writes_completed_total',
    'counter',
    'The total number of writes completed successfully.',
  ),
  writtenBytes: family('node_disk_written_bytes_total', 'counter', 'The total number of bytes written successfully.'),
  writeTime: family(
    'node_disk_write_time_seconds_total',
    'counter',
    'This is the total number of seconds spent by all writes.',
  ),
  ioNow: family('node_disk_io_now', 'gauge', 'The number of I/Os currently in progress.'),
  ioTime: family('node_disk_io_time_seconds_total', 'counter', 'Total seconds spent doing I/Os.'),
};

const netFamily = (direction: 'receive' | 'transmit', what: string): ExportedFamily =>
  family(`node_network_${direction}_${what}_total`, 'counter', `Network device statistic ${direction}_${what}.`);

/** The 16 columns of /proc/net/dev, in the kernel's order, under node_exporter's names. */
export const NETWORK: readonly [keyof InterfaceCounters, ExportedFamily][] = [
  ['rxBytes', netFamily('receive', 'bytes')],
  ['rxPackets', netFamily('receive', 'packets')],
  ['rxErrors', netFamily('receive', 'errs')],
  ['rxDropped', netFamily('receive', 'drop')],
  ['rxFifo', netFamily('receive', 'fifo')],
  ['rxFrame', netFamily('receive', 'frame')],
  ['rxCompressed', netFamily('receive', 'compressed')],
  ['rxMulticast', netFamily('receive', 'multicast')],
  ['txBytes', netFamily('transmit', 'bytes')],
  ['txPackets', netFamily('transmit', 'packets')],
  ['txErrors', netFamily('transmit', 'errs')],
  ['txDropped', netFamily('transmit', 'drop')],
  ['txFifo', netFamily('transmit', 'fifo')],
  ['txColls', netFamily('transmit', 'colls')],
  ['txCarrier', netFamily('transmit', 'carrier')],
  ['txCompressed', netFamily('transmit', 'compressed')],
];

export const THERMAL_ZONE_TEMP = family('node_thermal_zone_temp', 'gauge', 'Zone temperature in Celsius');
