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
}

export interface ProcStat {
  total: CpuTimes;
  /** Keyed by core number; a core that is offline (hot-unplugged) has no line and so no key. */
  cores: Map<number, CpuTimes>;
  /** The "btime" line: when the system booted, in Unix seconds. */
  bootTimeSeconds?: number;
}

const FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
export const CPU_MODES: readonly (keyof CpuTimes)[] = FIELDS;

/** Clock ticks per second of /proc/stat: USER_HZ is 100 on every Linux architecture node_exporter supports. */
export const USER_HZ = 100;

export function parseProcStat(text: string): ProcStat {
  let total: CpuTimes | undefined;
  const cores = new Map<number, CpuTimes>();
  let bootTimeSeconds: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('btime ')) bootTimeSeconds = Number(line.slice(6));
    if (!line.startsWith('cpu')) continue;
    const parts = line.trim().split(/\s+/);
    const label = parts[0] ?? '';
    // guest and guest_nice (fields 9 and 10) are already counted in user and nice, so they are left out.
    const values = FIELDS.map((_, index) => Number(parts[index + 1] ?? 0));
    if (values.some((value) => !Number.isFinite(value)))
      throw new SyntaxError(`Cannot parse /proc/stat line "${line}"`);
    const times = Object.fromEntries(FIELDS.map((field, index) => [field, values[index]])) as unknown as CpuTimes;
    if (label === 'cpu') total = times;
    else cores.set(Number(label.slice(3)), times);
  }
  if (!total) throw new SyntaxError('Cannot parse /proc/stat: no "cpu" line');
  return bootTimeSeconds !== undefined && Number.isFinite(bootTimeSeconds)
    ? { total, cores, bootTimeSeconds }
    : { total, cores };
}

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
  const deltas = FIELDS.map((field) => current[field] - previous[field]);
  if (deltas.some((delta) => delta < 0)) return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = deltas;
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
