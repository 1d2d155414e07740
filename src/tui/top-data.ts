import { hostname } from 'node:os';
import { procPath, type Host } from '../collect/host.ts';
import { readLoadavg, type LoadAverage } from '../collect/loadavg.ts';
import { readMeminfo, type Meminfo } from '../collect/meminfo.ts';
import { createProcessSampler, type ProcessSampler, type ProcessSnapshot } from '../collect/process-sampler.ts';
import { cpuUsageBetween, readProcStat, type CpuTimes, type CpuUsage } from '../collect/proc-stat.ts';
import { parseOsRelease, readOsRelease } from '../exporters/os.ts';
import type { CheckResult, Status } from '../result.ts';
import { Ring } from './widgets/ring.ts';

/** What does not change while top runs. */
export interface HostFacts {
  hostname: string;
  /** os-release PRETTY_NAME ("Ubuntu 24.04.1 LTS"); empty when there is none. */
  os: string;
  /** The kernel release ("6.8.0-45-generic"). */
  kernel: string;
}

/** PSI "some avg10": the share of the last 10 s in which some task waited for the resource. */
export interface Pressure {
  cpu?: number;
  memory?: number;
  io?: number;
}

/** One refresh of everything `argus top` draws, apart from the check results, which arrive on their own. */
export interface TopSample {
  takenAt: Date;
  uptimeSeconds?: number;
  load?: LoadAverage;
  /** Since the previous refresh; undefined on the first. */
  cpu?: CpuUsage;
  /** Every online core, in order; usage undefined on the first refresh or right after a core came online. */
  cores: { core: number; usage?: CpuUsage }[];
  memory?: Meminfo;
  pressure: Pressure;
  processes: ProcessSnapshot;
}

/** A check or instance that changed status: seen by top between two cycles, or recorded in the history. */
export interface StatusEvent {
  atMs: number;
  check: string;
  instance?: string;
  /** Unknown for an event read from the history, which keeps spans, not transitions. */
  from?: Status;
  to: Status;
  details: string;
}

/** Events kept for the check strip, newest last. */
export const KEPT_EVENTS = 20;

/** Sparkline history: ten minutes at the default 2 s, and wider than any terminal the layout supports. */
export const HISTORY_POINTS = 300;

export function readHostFacts(host: Host): HostFacts {
  const fields = parseOsRelease(readOsRelease(host) ?? '');
  return {
    hostname: host.tryReadText(procPath(host, 'sys/kernel/hostname'))?.trim() || hostname(),
    os: fields.get('PRETTY_NAME') ?? fields.get('NAME') ?? '',
    kernel: host.tryReadText(procPath(host, 'sys/kernel/osrelease'))?.trim() ?? '',
  };
}

/** The "some avg10=1.23" of a /proc/pressure file; undefined without PSI (kernel < 4.20 or psi=0). */
export function parsePressureSome(text: string | undefined): number | undefined {
  const match = text === undefined ? null : /^some avg10=([\d.]+)/m.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The numbers behind the screen: samples /proc on each refresh and keeps the sparklines' history. */
export class TopData {
  readonly facts: HostFacts;
  /** Busy % of all CPUs, and memory in use %, one point per refresh. */
  readonly cpuHistory = new Ring(HISTORY_POINTS);
  readonly memoryHistory = new Ring(HISTORY_POINTS);
  /** Receive and transmit bytes/s per interface, one point per check cycle. */
  readonly networkHistory = new Map<string, { rx: Ring; tx: Ring }>();
  latest: TopSample | undefined;
  results: CheckResult[] = [];
  /** Status changes, newest last: from the history at start, then as the cycles see them. */
  readonly events: StatusEvent[] = [];
  private readonly host: Host;
  private readonly sampler: ProcessSampler;
  private previousCpu: { total: CpuTimes; cores: Map<number, CpuTimes> } | undefined;

  constructor(host: Host, monotonicMs: () => number) {
    this.host = host;
    this.facts = readHostFacts(host);
    this.sampler = createProcessSampler(monotonicMs);
  }

  sample(): TopSample {
    const host = this.host;
    const attempt = <T>(read: () => T): T | undefined => {
      try {
        return read();
      } catch {
        return undefined; // one unreadable file costs its panel, never the screen
      }
    };
    const stat = attempt(() => readProcStat(host));
    const previous = this.previousCpu;
    const cores = stat
      ? [...stat.cores.entries()]
          .sort(([a], [b]) => a - b)
          .map(([core, times]) => {
            const before = previous?.cores.get(core);
            const usage = before ? cpuUsageBetween(before, times) : undefined;
            return usage ? { core, usage } : { core };
          })
      : [];
    const cpu = stat && previous ? cpuUsageBetween(previous.total, stat.total) : undefined;
    if (stat) this.previousCpu = { total: stat.total, cores: stat.cores };
    const memory = attempt(() => readMeminfo(host));
    const uptime = Number(host.tryReadText(procPath(host, 'uptime'))?.split(' ')[0]);
    const sample: TopSample = {
      takenAt: new Date(),
      cores,
      pressure: {},
      // The first frame cannot show I/O rates (they need a sample before): it skips the io files, a quarter of the
      // reads of a refresh, and rates show from the third sample.
      processes: this.sampler.sample(host, memory?.totalBytes ?? 0, { io: previous !== undefined }),
    };
    if (Number.isFinite(uptime)) sample.uptimeSeconds = uptime;
    const load = attempt(() => readLoadavg(host));
    if (load) sample.load = load;
    if (cpu) sample.cpu = cpu;
    if (memory) sample.memory = memory;
    for (const resource of ['cpu', 'memory', 'io'] as const) {
      const value = parsePressureSome(host.tryReadText(procPath(host, 'pressure', resource)));
      if (value !== undefined) sample.pressure[resource] = value;
    }
    this.cpuHistory.push(cpu?.busyPercent);
    this.memoryHistory.push(
      memory && memory.totalBytes > 0
        ? ((memory.totalBytes - memory.availableBytes) / memory.totalBytes) * 100
        : undefined,
    );
    this.latest = sample;
    return sample;
  }

  /** A check cycle finished: its results feed the check strip, the disk and network panels. */
  setResults(results: CheckResult[], nowMs = Date.now()): void {
    const before = new Map(this.results.map((result) => [`${result.name}\0${result.instance ?? ''}`, result.status]));
    for (const result of results) {
      const previous = before.get(`${result.name}\0${result.instance ?? ''}`);
      if (previous === undefined || previous === result.status) continue;
      this.addEvent({
        atMs: nowMs,
        check: result.name,
        ...(result.instance === undefined ? {} : { instance: result.instance }),
        from: previous,
        to: result.status,
        details: result.details,
      });
    }
    this.results = results;
    const seen = new Set<string>();
    for (const result of results) {
      if (result.name !== 'network' || result.instance === undefined) continue;
      seen.add(result.instance);
      let rings = this.networkHistory.get(result.instance);
      if (!rings) {
        rings = { rx: new Ring(HISTORY_POINTS), tx: new Ring(HISTORY_POINTS) };
        this.networkHistory.set(result.instance, rings);
      }
      rings.rx.push(result.metrics.rx_bytes_per_second);
      rings.tx.push(result.metrics.tx_bytes_per_second);
    }
    for (const name of this.networkHistory.keys()) if (!seen.has(name)) this.networkHistory.delete(name);
  }

  addEvent(event: StatusEvent): void {
    this.events.push(event);
    this.events.sort((a, b) => a.atMs - b.atMs);
    if (this.events.length > KEPT_EVENTS) this.events.splice(0, this.events.length - KEPT_EVENTS);
  }
}
