import { fieldCursor, hasField, nextField, nextLine, nextNumber, skipField, type FieldCursor } from './field-cursor.ts';
import { procPath, type Host } from './host.ts';

/** Cumulative jiffies of one CPU line of /proc/stat ("cpu" for the total, "cpu3" for a core). */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  /** Time running a guest OS (already counted in user and nice), for node_cpu_guest_seconds_total. */
  guest?: number;
  guestNice?: number;
}

export interface ProcStat {
  total: CpuTimes;
  /** Keyed by core number; a core that is offline (hot-unplugged) has no line and so no key. */
  cores: Map<number, CpuTimes>;
  /** The "btime" line: when the system booted, in Unix seconds. */
  bootTimeSeconds?: number;
}

const FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
export const CPU_MODES: readonly (typeof FIELDS)[number][] = FIELDS;

/** Clock ticks per second of /proc/stat: USER_HZ is 100 on every Linux architecture node_exporter supports. */
export const USER_HZ = 100;

export function parseProcStat(text: string): ProcStat {
  let total: CpuTimes | undefined;
  const cores = new Map<number, CpuTimes>();
  let bootTimeSeconds: number | undefined;
  const line = fieldCursor(text);
  while (nextLine(line)) {
    const start = line.position;
    if (text.startsWith('btime ', start)) {
      skipField(line);
      bootTimeSeconds = nextNumber(line);
      continue;
    }
    if (!text.startsWith('cpu', start)) continue;
    const label = nextField(line);
    // guest and guest_nice (fields 9 and 10) are already counted in user and nice: kept apart, never added.
    const times: CpuTimes = {
      user: modeTime(line),
      nice: modeTime(line),
      system: modeTime(line),
      idle: modeTime(line),
      iowait: modeTime(line),
      irq: modeTime(line),
      softirq: modeTime(line),
      steal: modeTime(line),
      guest: modeTime(line),
      guestNice: modeTime(line),
    };
    if (FIELDS.some((field) => !Number.isFinite(times[field])))
      throw new SyntaxError(`Cannot parse /proc/stat line "${text.slice(start, line.lineEnd)}"`);
    if (label === 'cpu') total = times;
    else cores.set(Number(label.slice(3)), times);
  }
  if (!total) throw new SyntaxError('Cannot parse /proc/stat: no "cpu" line');
  return bootTimeSeconds !== undefined && Number.isFinite(bootTimeSeconds)
    ? { total, cores, bootTimeSeconds }
    : { total, cores };
}

/** Old kernels list fewer modes (steal came with 2.6.11): a mode the line lacks counts as 0. */
const modeTime = (line: FieldCursor): number => (hasField(line) ? nextNumber(line) : 0);

export const readProcStat = (host: Host): ProcStat => parseProcStat(host.readText(procPath(host, 'stat')));

export interface CpuUsage {
  busyPercent: number;
  userPercent: number;
  systemPercent: number;
  iowaitPercent: number;
  stealPercent: number;
}

/** Share of each mode between two snapshots; undefined when a counter went backwards or no time passed. */
export function cpuUsageBetween(previous: CpuTimes, current: CpuTimes): CpuUsage | undefined {
  const user = current.user - previous.user;
  const nice = current.nice - previous.nice;
  const system = current.system - previous.system;
  const idle = current.idle - previous.idle;
  const iowait = current.iowait - previous.iowait;
  const irq = current.irq - previous.irq;
  const softirq = current.softirq - previous.softirq;
  const steal = current.steal - previous.steal;
  if (user < 0 || nice < 0 || system < 0 || idle < 0 || iowait < 0 || irq < 0 || softirq < 0 || steal < 0)
    return undefined;
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  if (total === 0) return undefined;
  const percent = (value: number): number => (value / total) * 100;
  return {
    busyPercent: percent(total - idle - iowait),
    userPercent: percent(user + nice),
    systemPercent: percent(system + irq + softirq),
    iowaitPercent: percent(iowait),
    stealPercent: percent(steal),
  };
}
