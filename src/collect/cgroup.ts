import type { Host } from './host.ts';

/** v1 writes "no limit" as the largest page-aligned 63-bit number; anything this large is no limit either. */
const UNLIMITED = 2 ** 62;

/** The memory and CPU this process may use, as its cgroup (a container's, a systemd unit's) limits them. */
export interface CgroupLimits {
  version: 1 | 2;
  /** Present when a memory limit is set. */
  memory?: {
    limitBytes: number;
    /** What the cgroup charges minus the page cache it could drop (inactive file): `docker stats`' and kubelet's. */
    workingSetBytes: number;
  };
  /** Present when a CPU quota is set. */
  cpu?: {
    /** quota / period: 1.5 is one and a half cores. */
    cores: number;
    /** CPU time the cgroup used since it began: user, system and both. */
    userSeconds: number;
    systemSeconds: number;
    totalSeconds: number;
  };
}

/** /proc/self/cgroup: v2's one line "0::/path", or v1's "N:controller[,controller]:/path" per hierarchy. */
export function parseProcCgroup(text: string): { unified?: string; controllers: Map<string, string> } {
  const controllers = new Map<string, string>();
  let unified: string | undefined;
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const names = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    if (line.startsWith('0::') && names === '') unified = path;
    else for (const name of names.split(',')) controllers.set(name, path);
  }
  return { ...(unified === undefined ? {} : { unified }), controllers };
}

/** "key value" lines (memory.stat, cpu.stat, cpuacct.stat) into numbers. */
export function parseFlatKeyed(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return values;
}

/**
 * The cgroup directory of a controller. Inside a container with its own cgroup namespace, /proc/self/cgroup says
 * "/" and the container's cgroup is what is mounted at /sys/fs/cgroup; on a host (or without a namespace) it is the
 * path below the mount. The first of the two that exists is the one.
 */
function cgroupDir(host: Host, mount: string, path: string): string | undefined {
  const below = `${host.sysRoot}/fs/cgroup${mount}${path === '/' ? '' : path}`;
  if (host.isDirectory(below)) return below;
  const top = `${host.sysRoot}/fs/cgroup${mount}`;
  return host.isDirectory(top) ? top : undefined;
}

const number = (text: string | undefined): number | undefined => {
  const value = text === undefined ? Number.NaN : Number(text.trim());
  return Number.isFinite(value) ? value : undefined;
};

function readV2(host: Host, path: string): CgroupLimits | undefined {
  const dir = cgroupDir(host, '', path);
  if (!dir) return undefined;
  const limits: CgroupLimits = { version: 2 };
  const max = host.tryReadText(`${dir}/memory.max`)?.trim();
  const current = number(host.tryReadText(`${dir}/memory.current`));
  if (max !== undefined && max !== 'max' && current !== undefined && Number(max) < UNLIMITED) {
    const stat = parseFlatKeyed(host.tryReadText(`${dir}/memory.stat`) ?? '');
    limits.memory = {
      limitBytes: Number(max),
      workingSetBytes: Math.max(0, current - (stat.get('inactive_file') ?? 0)),
    };
  }
  const [quota, period] = (host.tryReadText(`${dir}/cpu.max`) ?? 'max').trim().split(/\s+/);
  if (quota !== 'max' && number(quota) && number(period)) {
    const stat = parseFlatKeyed(host.tryReadText(`${dir}/cpu.stat`) ?? '');
    limits.cpu = {
      cores: Number(quota) / Number(period),
      userSeconds: (stat.get('user_usec') ?? 0) / 1e6,
      systemSeconds: (stat.get('system_usec') ?? 0) / 1e6,
      totalSeconds: (stat.get('usage_usec') ?? 0) / 1e6,
    };
  }
  return limits;
}

function readV1(host: Host, controllers: Map<string, string>): CgroupLimits {
  const limits: CgroupLimits = { version: 1 };
  const memoryPath = controllers.get('memory');
  const memory = memoryPath === undefined ? undefined : cgroupDir(host, '/memory', memoryPath);
  if (memory) {
    const limit = number(host.tryReadText(`${memory}/memory.limit_in_bytes`));
    const usage = number(host.tryReadText(`${memory}/memory.usage_in_bytes`));
    if (limit !== undefined && usage !== undefined && limit < UNLIMITED) {
      const stat = parseFlatKeyed(host.tryReadText(`${memory}/memory.stat`) ?? '');
      const inactive = stat.get('total_inactive_file') ?? stat.get('inactive_file') ?? 0;
      limits.memory = { limitBytes: limit, workingSetBytes: Math.max(0, usage - inactive) };
    }
  }
  const cpuPath = controllers.get('cpu');
  const cpu = cpuPath === undefined ? undefined : cgroupDir(host, '/cpu', cpuPath);
  const quota = cpu === undefined ? undefined : number(host.tryReadText(`${cpu}/cpu.cfs_quota_us`));
  const period = cpu === undefined ? undefined : number(host.tryReadText(`${cpu}/cpu.cfs_period_us`));
  if (quota !== undefined && quota > 0 && period) {
    const accountingPath = controllers.get('cpuacct') ?? cpuPath!;
    const accounting = cgroupDir(host, '/cpuacct', accountingPath) ?? cpu;
    // cpuacct.stat counts USER_HZ (100 a second on every Linux that matters); cpuacct.usage nanoseconds.
    const stat = parseFlatKeyed(host.tryReadText(`${accounting}/cpuacct.stat`) ?? '');
    limits.cpu = {
      cores: quota / period,
      userSeconds: (stat.get('user') ?? 0) / 100,
      systemSeconds: (stat.get('system') ?? 0) / 100,
      totalSeconds: (number(host.tryReadText(`${accounting}/cpuacct.usage`)) ?? 0) / 1e9,
    };
  }
  return limits;
}

/**
 * The limits of this process' own cgroup, v2 or v1; undefined where /proc/self/cgroup cannot be read. Neither
 * `memory` nor `cpu` is set when nothing is limited (a host, an unconstrained container).
 */
export function readCgroupLimits(host: Host): CgroupLimits | undefined {
  const text = host.tryReadText(`${host.procRoot}/self/cgroup`);
  if (text === undefined) return undefined;
  const parsed = parseProcCgroup(text);
  if (parsed.controllers.size === 0 && parsed.unified !== undefined) return readV2(host, parsed.unified);
  return readV1(host, parsed.controllers);
}

/** Where Argus runs: what makes `scope: auto` take the container's limits (a systemd unit's own MemoryMax= does not). */
export function inContainer(host: Host): boolean {
  if (host.tryReadText('/.dockerenv') !== undefined || host.tryReadText('/run/.containerenv') !== undefined)
    return true;
  const cgroup = host.tryReadText(`${host.procRoot}/self/cgroup`) ?? '';
  return /docker|kubepods|containerd|libpod|lxc|crio/.test(cgroup);
}

export type CgroupScope = 'auto' | 'host' | 'container';

/**
 * The limits a check measures against, or undefined for the host's own figures: `host` never, `container` always
 * (what is set), `auto` inside a container only. Watching a host from a container (host.rootfs set) is the host.
 */
export function scopeLimits(host: Host, scope: CgroupScope): CgroupLimits | undefined {
  if (scope === 'host' || host.rootfs !== '/') return undefined;
  if (scope === 'auto' && !inContainer(host)) return undefined;
  return readCgroupLimits(host);
}

/**
 * scopeLimits() for a check that runs every cycle: whether this is a container is decided once, and a cgroup found
 * without limits is looked at again only after `recheckMs` (a limit set later by `docker update` is seen within it).
 * Read afresh every cycle, the files cost ~55 µs a check on the development VM, a third of a whole cycle.
 */
export function createScopeReader(scope: CgroupScope, recheckMs = 60_000, now = Date.now) {
  let inside: boolean | undefined;
  let unlimitedSince: number | undefined;
  return (host: Host): CgroupLimits | undefined => {
    if (scope === 'host' || host.rootfs !== '/') return undefined;
    if (scope === 'auto' && !(inside ??= inContainer(host))) return undefined;
    if (unlimitedSince !== undefined && now() - unlimitedSince < recheckMs) return undefined;
    const limits = readCgroupLimits(host);
    if (limits?.memory || limits?.cpu) {
      unlimitedSince = undefined;
      return limits;
    }
    unlimitedSince = now();
    return undefined;
  };
}
