import * as v from 'valibot';
import { createRateTracker, type Sampled } from '../collect/rate-tracker.ts';
import { readDiskstats, SECTOR_BYTES, type DiskCounters } from '../collect/diskstats.ts';
import type { FsStats, Host } from '../collect/host.ts';
import { createMountProbe } from '../collect/mount-probe.ts';
import { privateRuntimeDir } from '../platform/runtime-dir.ts';
import { isRemoteOrUnknownFs, readMountinfo, type Mount } from '../collect/mountinfo.ts';
import { formatBytes, formatPercent, formatRate } from '../format/units.ts';
import { DURATION_LIMITS, durationSchema } from '../schema/duration.ts';
import { defineCheck, type Reading } from './check.ts';
import { createNameFilter } from './name-filter.ts';

// Pseudo, virtual and container file systems: node_exporter's defFSTypesExcluded plus RAM-backed ones.
const DEFAULT_EXCLUDED_FS_TYPES = [
  'autofs',
  'binfmt_misc',
  'bpf',
  'cgroup',
  'cgroup2',
  'configfs',
  'debugfs',
  'devpts',
  'devtmpfs',
  'efivarfs',
  'fusectl',
  'hugetlbfs',
  'mqueue',
  'nsfs',
  'overlay',
  'proc',
  'procfs',
  'pstore',
  'ramfs',
  'rpc_pipefs',
  'securityfs',
  'selinuxfs',
  'squashfs',
  'erofs',
  'sysfs',
  'tracefs',
  'tmpfs',
  'fuse.lxcfs',
  'fuse.portal',
];
const DEFAULT_EXCLUDED_MOUNTS = [
  '/dev',
  '/dev/*',
  '/proc',
  '/proc/*',
  '/sys',
  '/sys/*',
  '/run/credentials/*',
  '/var/lib/docker/*',
  '/var/lib/containers/storage/*',
  '/var/lib/kubelet/pods/*',
  '/snap/*',
];
const MAX_MOUNTS = 1000;

const listOption = (fallback: string[], description: string) =>
  v.pipe(v.optional(v.array(v.string()), fallback), v.description(description));

export const diskCheck = defineCheck({
  description: 'Space and inodes per mounted file system (statfs) and I/O per block device (/proc/diskstats)',
  categories: ['system', 'storage'],
  options: v.strictObject({
    include_fstypes: listOption([], 'Only these file system types (globs); empty means all'),
    exclude_fstypes: listOption(DEFAULT_EXCLUDED_FS_TYPES, 'File system types to skip (globs)'),
    include_mounts: listOption([], 'Only these mount points (globs); empty means all'),
    exclude_mounts: listOption(DEFAULT_EXCLUDED_MOUNTS, 'Mount points to skip (globs)'),
    mount_timeout: v.pipe(
      v.optional(durationSchema(DURATION_LIMITS.timeout), 5),
      v.description('Seconds a network or FUSE mount may take to answer statfs'),
    ),
    max_probes: v.pipe(
      v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 8),
      v.description('Out-of-process statfs probes at once'),
    ),
    statfs_command: listOption(
      ['stat'],
      'Program (argv) that answers `stat -f -c FORMAT -- MOUNT` for network and FUSE mounts',
    ),
  }),
  metrics: [
    {
      name: 'used_percent',
      unit: 'percent',
      help: 'Space used as a share of the space usable by non-root users (as df)',
    },
    {
      name: 'free_percent',
      unit: 'percent',
      help: 'Space available to non-root users as a share (100 - used_percent)',
    },
    { name: 'used_bytes', unit: 'bytes', help: 'Space used' },
    { name: 'free_bytes', unit: 'bytes', help: 'Space available to non-root users' },
    { name: 'total_bytes', unit: 'bytes', help: 'Size of the file system' },
    { name: 'inodes_used_percent', unit: 'percent', help: 'Inodes used; absent on file systems without fixed inodes' },
    { name: 'read_bytes_per_second', unit: 'bytes_per_second', help: 'Bytes read from the block device', rate: true },
    { name: 'write_bytes_per_second', unit: 'bytes_per_second', help: 'Bytes written to the block device', rate: true },
    { name: 'read_iops', unit: 'per_second', help: 'Reads completed per second', rate: true },
    { name: 'write_iops', unit: 'per_second', help: 'Writes completed per second', rate: true },
    {
      name: 'busy_percent',
      unit: 'percent',
      help: 'Share of time the device had I/O in flight (io_ticks)',
      rate: true,
    },
  ],
  mainMetric: 'used_percent',
  defaultThresholds: { used_percent: { warn: 80, crit: 90 }, inodes_used_percent: { warn: 80, crit: 90 } },
  needsTwoSamples: true,
  create: (options) => {
    const isWanted = {
      fsType: createNameFilter(options.include_fstypes, options.exclude_fstypes),
      mount: createNameFilter(options.include_mounts, options.exclude_mounts),
    };
    const probe = createMountProbe({
      timeoutMs: options.mount_timeout * 1000,
      maxOutstanding: options.max_probes,
      command: options.statfs_command,
      lockDir: () => privateRuntimeDir(),
    });
    // Two mounts of one device share its counters: observed once per cycle, by the first of them.
    const ioTracker = createRateTracker<string, DiskCounters>(() => false);

    const spaceOf = async (host: Host, mount: Mount, probeMs: number): Promise<FsStats | string> => {
      if (!isRemoteOrUnknownFs(mount.fsType)) return host.statfs(mount.mountPoint);
      const answer = await probe(host.fsPath(mount.mountPoint), probeMs);
      if (answer.kind === 'stats') return answer.stats;
      if (answer.kind === 'busy') return 'mount probe skipped: too many probes in flight';
      return answer.kind === 'stuck' ? 'mount timeout (previous probe still hung)' : 'mount timeout';
    };

    let table: readonly Mount[] | undefined;
    let wanted: readonly Mount[] = [];

    return async ({ host, monotonicMs, deadlineMs }) => {
      const current = readMountinfo(host);
      if (current !== table) {
        wanted = current
          .filter((mount) => isWanted.fsType(mount.fsType) && isWanted.mount(mount.mountPoint))
          .slice(0, MAX_MOUNTS);
        table = current;
      }
      const mounts = wanted;
      const diskstats = readDiskstats(host);
      const now = monotonicMs();
      const probeMs = probeBudget(
        options.mount_timeout * 1000,
        deadlineMs === undefined ? undefined : deadlineMs - now,
      );
      const ioSeen = new Map<string, Sampled<DiskCounters> | undefined>();
      const readings = await Promise.all(
        mounts.map(async (mount): Promise<Reading> => {
          const labels = { device: mount.device, fstype: mount.fsType };
          let space: FsStats | string;
          try {
            space = await spaceOf(host, mount, probeMs);
          } catch (error) {
            space = error instanceof Error ? error.message : String(error);
          }
          if (typeof space === 'string') {
            const reading: Reading = { instance: mount.mountPoint, labels, metrics: {}, unknown: space };
            return reading;
          }
          const reading: Reading = { instance: mount.mountPoint, labels, metrics: spaceMetrics(space) };
          const ioKey = findIoKey(diskstats, mount);
          const counters = ioKey === undefined ? undefined : diskstats.get(ioKey);
          if (ioKey !== undefined && counters) {
            if (!ioSeen.has(ioKey)) ioSeen.set(ioKey, ioTracker.observe(ioKey, counters, now));
            const before = ioSeen.get(ioKey);
            if (before) Object.assign(reading.metrics, ioRates(before, { counters, atMs: now }));
          }
          return reading;
        }),
      );
      ioTracker.end();
      return readings;
    };
  },
  // systeminformation runs df (no I/O rates, no inodes, no timeout of its own): the check's deadline bounds it.
  portable: async (options, si) => {
    const isWanted = createNameFilter(options.include_mounts, options.exclude_mounts);
    const isWantedType = createNameFilter(options.include_fstypes, options.exclude_fstypes);
    return (await si.fsSize())
      .filter((fs) => isWanted(fs.mount) && isWantedType(fs.type.toLowerCase()))
      .map((fs) => ({
        instance: fs.mount,
        labels: { device: fs.fs, fstype: fs.type },
        metrics: spaceMetrics({
          totalBytes: fs.size,
          freeBytes: fs.size - fs.used,
          availableBytes: fs.available,
          totalInodes: 0,
          freeInodes: 0,
        }),
      }));
  },
  summarize: ({ instance, metrics }) => {
    const space = `${instance ?? ''}: ${formatPercent(metrics.used_percent ?? 0)} used, ${formatBytes(metrics.free_bytes ?? 0)} free of ${formatBytes(metrics.total_bytes ?? 0)}`;
    const inodes =
      metrics.inodes_used_percent === undefined ? '' : `, inodes ${formatPercent(metrics.inodes_used_percent)}`;
    const io =
      metrics.read_bytes_per_second === undefined
        ? ''
        : `; io r ${formatRate(metrics.read_bytes_per_second)} w ${formatRate(metrics.write_bytes_per_second ?? 0)} busy ${formatPercent(metrics.busy_percent ?? 0)}`;
    return space + inodes + io;
  },
});

function spaceMetrics(space: FsStats): Record<string, number> {
  const usedBytes = space.totalBytes - space.freeBytes;
  // As df: the reserved blocks count neither as used nor as usable, so 100% means "full for users".
  const usable = usedBytes + space.availableBytes;
  const usedPercent = usable > 0 ? (usedBytes / usable) * 100 : 0;
  const metrics: Record<string, number> = {
    used_percent: usedPercent,
    free_percent: 100 - usedPercent,
    used_bytes: usedBytes,
    free_bytes: space.availableBytes,
    total_bytes: space.totalBytes,
  };
  if (space.totalInodes > 0)
    metrics.inodes_used_percent = ((space.totalInodes - space.freeInodes) / space.totalInodes) * 100;
  return metrics;
}

/**
 * How long a mount probe may take: mount_timeout, but never so long that the check's own deadline passes first,
 * which lost every mount's result to one hung mount (at a 1 s interval the deadline is 1 s, mount_timeout 5 s). A
 * quarter of what is left (at most 1 s) stays for the rest of the check.
 */
export const probeBudget = (mountTimeoutMs: number, leftMs: number | undefined): number =>
  leftMs === undefined ? mountTimeoutMs : Math.min(mountTimeoutMs, Math.max(0, leftMs - Math.min(1000, leftMs / 4)));

// btrfs and some device-mapper setups show an anonymous 0:N device number; fall back to the device's name.
function findIoKey(diskstats: Map<string, DiskCounters>, mount: Mount): string | undefined {
  if (diskstats.has(mount.deviceNumber)) return mount.deviceNumber;
  const name = mount.device.replace(/^\/dev\//, '');
  for (const [key, counters] of diskstats) if (counters.name === name) return key;
  return undefined;
}

function ioRates(before: Sampled<DiskCounters>, after: Sampled<DiskCounters>): Record<string, number> {
  const seconds = (after.atMs - before.atMs) / 1000;
  type Field = 'sectorsRead' | 'sectorsWritten' | 'readsCompleted' | 'writesCompleted' | 'ioTicksMs';
  const delta = (field: Field): number => after.counters[field] - before.counters[field];
  const fields = ['sectorsRead', 'sectorsWritten', 'readsCompleted', 'writesCompleted', 'ioTicksMs'] as const;
  // A counter that went backwards means the device was re-attached: no rate for this interval.
  if (seconds <= 0 || fields.some((field) => delta(field) < 0)) return {};
  return {
    read_bytes_per_second: (delta('sectorsRead') * SECTOR_BYTES) / seconds,
    write_bytes_per_second: (delta('sectorsWritten') * SECTOR_BYTES) / seconds,
    read_iops: delta('readsCompleted') / seconds,
    write_iops: delta('writesCompleted') / seconds,
    busy_percent: Math.min(100, delta('ioTicksMs') / 10 / seconds),
  };
}
