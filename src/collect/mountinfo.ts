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
 * and a caller can tell "unchanged" by identity.
 */
export function readMountinfo(host: Host): readonly Mount[] {
  const text = host.readText(procPath(host, 'self', 'mountinfo'));
  if (text !== lastText) {
    lastMounts = parseMountinfo(text);
    lastText = text;
  }
  return lastMounts;
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
