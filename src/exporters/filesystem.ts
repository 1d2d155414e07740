import type { FsStats } from '../collect/host.ts';
import { isRemoteOrUnknownFs, readMountinfo } from '../collect/mountinfo.ts';
import * as v from 'valibot';
import { nameFilter, regexSchema } from '../schema/regex.ts';
import { defineExporter } from './exporter.ts';
import { FILESYSTEM } from './families.ts';
import type { ExportedSample } from './series.ts';

/** node_exporter's default --collector.filesystem.mount-points-exclude and fs-types-exclude. */
const IGNORED_MOUNT_POINTS = '^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)';
const IGNORED_FS_TYPES =
  '^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$';

/**
 * node_exporter's filesystem collector: statfs per mount. Local file systems are asked directly; network, FUSE and
 * unknown ones through the bounded out-of-process probe, and one that does not answer is device_error 1.
 */
export const filesystemExporter = defineExporter({
  description: 'Size, free space and inodes per mounted file system (statfs)',
  options: v.strictObject({
    mount_points_include: v.pipe(
      v.optional(regexSchema),
      v.description('Only these mount points (--collector.filesystem.mount-points-include)'),
    ),
    mount_points_exclude: v.pipe(
      v.optional(regexSchema, IGNORED_MOUNT_POINTS),
      v.description('Not these mount points (--collector.filesystem.mount-points-exclude)'),
    ),
    fs_types_include: v.pipe(
      v.optional(regexSchema),
      v.description('Only these file system types (--collector.filesystem.fs-types-include)'),
    ),
    fs_types_exclude: v.pipe(
      v.optional(regexSchema, IGNORED_FS_TYPES),
      v.description('Not these file system types (--collector.filesystem.fs-types-exclude)'),
    ),
  }),
  collect: async ({ host, probeMount }, options) => {
    const mountWanted = nameFilter(options.mount_points_include, options.mount_points_exclude);
    const typeWanted = nameFilter(options.fs_types_include, options.fs_types_exclude);
    const mounts = readMountinfo(host).filter((mount) => mountWanted(mount.mountPoint) && typeWanted(mount.fsType));
    const answers = await Promise.all(
      mounts.map(async (mount): Promise<FsStats | string> => {
        try {
          return isRemoteOrUnknownFs(mount.fsType)
            ? await probeMount(host.fsPath(mount.mountPoint))
            : host.statfs(mount.mountPoint);
        } catch (error) {
          return (error as Error).message;
        }
      }),
    );
    const samples: ExportedSample[] = [];
    mounts.forEach((mount, index) => {
      const space = answers[index];
      const labels = { device: mount.device, fstype: mount.fsType, mountpoint: mount.mountPoint };
      if (space === undefined || typeof space === 'string') {
        samples.push({ family: FILESYSTEM.deviceError, labels, value: 1 });
        return;
      }
      samples.push(
        { family: FILESYSTEM.avail, labels, value: space.availableBytes },
        { family: FILESYSTEM.free, labels, value: space.freeBytes },
        { family: FILESYSTEM.size, labels, value: space.totalBytes },
        { family: FILESYSTEM.files, labels, value: space.totalInodes },
        { family: FILESYSTEM.filesFree, labels, value: space.freeInodes },
        { family: FILESYSTEM.readonly, labels, value: mount.readOnly ? 1 : 0 },
        { family: FILESYSTEM.deviceError, labels, value: 0 },
      );
    });
    return samples;
  },
});
