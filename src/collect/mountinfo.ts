import { procPath, type Host } from './host.ts';

export interface Mount {
  mountPoint: string;
  device: string;
  fsType: string;
  /** "major:minor", the key into /proc/diskstats. */
  deviceNumber: string;
  readOnly: boolean;
}

// The kernel escapes space, tab, newline and backslash in mount points as octal (fs/proc_namespace.c, mangle()).
const unescapeOctal = (field: string): string =>
  field.includes('\\')
    ? field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    : field;

/**
 * Parses /proc/self/mountinfo (proc(5)). When several mounts share a mount point only the last one is visible,
 * so later lines replace earlier ones; duplicate bind mounts of one device keep their own mount points.
 */
export function parseMountinfo(text: string): Mount[] {
  const byMountPoint = new Map<string, Mount>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const separator = line.indexOf(' - ');
    if (separator < 0) throw new SyntaxError(`Cannot parse mountinfo line "${line}": no " - " separator`);
    const head = line.slice(0, separator).split(' ');
    const tail = line.slice(separator + 3).split(' ');
    const [deviceNumber, , mountPoint, options] = head.slice(2);
    const [fsType, source] = tail;
    if (!deviceNumber || !mountPoint || !options || !fsType || source === undefined) {
      throw new SyntaxError(`Cannot parse mountinfo line "${line}": too few fields`);
    }
    const mount: Mount = {
      mountPoint: unescapeOctal(mountPoint),
      device: unescapeOctal(source),
      fsType,
      deviceNumber,
      readOnly: options.split(',').includes('ro'),
    };
    byMountPoint.delete(mount.mountPoint);
    byMountPoint.set(mount.mountPoint, mount);
  }
  return [...byMountPoint.values()];
}

let lastText: string | undefined;
let lastMounts: readonly Mount[] = [];

/**
 * The mount table changes seldom and is read every cycle: the same text gives the same (shared, read-only) list,
 * and a caller can tell "unchanged" by identity. On the host it is this process' own; with a rootfs (a container
 * that sees the host's / there) it is PID 1's, the host's mount namespace when the container shares the host's PIDs
 * (as node_exporter reads it), else this process' own with the mounts under rootfs, named as the host names them.
 */
export function readMountinfo(host: Host): readonly Mount[] {
  const hostTable = host.rootfs === '/' ? undefined : host.tryReadText(procPath(host, '1', 'mountinfo'));
  const text = hostTable ?? host.readText(procPath(host, 'self', 'mountinfo'));
  const key = hostTable === undefined && host.rootfs !== '/' ? `${host.rootfs}\u0000${text}` : text;
  if (key !== lastText) {
    lastMounts =
      hostTable === undefined && host.rootfs !== '/'
        ? underRoot(parseMountinfo(text), host.rootfs)
        : parseMountinfo(text);
    lastText = key;
  }
  return lastMounts;
}

/** The mounts at or under rootfs, with rootfs taken off their mount points ("/host/data" → "/data"). */
function underRoot(mounts: Mount[], rootfs: string): Mount[] {
  const kept: Mount[] = [];
  for (const mount of mounts) {
    if (mount.mountPoint === rootfs) kept.push({ ...mount, mountPoint: '/' });
    else if (mount.mountPoint.startsWith(`${rootfs}/`))
      kept.push({ ...mount, mountPoint: mount.mountPoint.slice(rootfs.length) });
  }
  return kept;
}

const LOCAL_FS_TYPES = new Set([
  'ext2',
  'ext3',
  'ext4',
  'xfs',
  'btrfs',
  'zfs',
  'vfat',
  'msdos',
  'exfat',
  'ntfs',
  'ntfs3',
  'f2fs',
  'jfs',
  'reiserfs',
  'nilfs2',
  'bcachefs',
  'hfsplus',
  'udf',
  'iso9660',
  'tmpfs',
  'ramfs',
  'devtmpfs',
  'squashfs',
  'erofs',
  'overlay',
  'ufs',
  'minix',
  'ecryptfs',
]);

/**
 * Whether statfs on this file system type can hang in the kernel (network, FUSE, or a type we do not know),
 * in which case it must never run on Node's own thread pool.
 */
export const isRemoteOrUnknownFs = (fsType: string): boolean => !LOCAL_FS_TYPES.has(fsType);
