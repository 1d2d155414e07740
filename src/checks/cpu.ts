import * as v from 'valibot';
import { createScopeReader, type CgroupLimits } from '../collect/cgroup.ts';
import { readLoadavg } from '../collect/loadavg.ts';
import { cpuUsageBetween, readProcStat, type CpuTimes } from '../collect/proc-stat.ts';
import { createRateTracker } from '../collect/rate-tracker.ts';
import { formatPercent } from '../format/units.ts';
import { defineCheck, type Reading } from './check.ts';
import { loadavg } from 'node:os';

type QuotaSeconds = Pick<NonNullable<CgroupLimits['cpu']>, 'totalSeconds' | 'userSeconds' | 'systemSeconds'>;

export const cpuCheck = defineCheck({
  description: 'CPU busy time by mode and per core, from /proc/stat deltas, and load averages from /proc/loadavg',
  categories: ['system', 'cpu'],
  options: v.strictObject({
    per_core: v.pipe(v.optional(v.boolean(), true), v.description('Report busy % of every core')),
    scope: v.pipe(
      v.optional(v.picklist(['auto', 'host', 'container']), 'auto'),
      v.description(
        "auto: inside a container with a CPU quota, busy is the share of the quota used (its cgroup's); host: always the machine's",
      ),
    ),
  }),
  metrics: [
    {
      name: 'usage_percent',
      unit: 'percent',
      help: 'Share of time all CPUs were busy (not idle, not iowait)',
      rate: true,
    },
    { name: 'user_percent', unit: 'percent', help: 'Share of time in user mode, nice included', rate: true },
    {
      name: 'system_percent',
      unit: 'percent',
      help: 'Share of time in kernel mode, irq and softirq included',
      rate: true,
    },
    { name: 'iowait_percent', unit: 'percent', help: 'Share of time idle while waiting for I/O', rate: true },
    { name: 'steal_percent', unit: 'percent', help: 'Share of time the hypervisor gave to other guests', rate: true },
    { name: 'core<N>_usage_percent', unit: 'percent', help: 'Busy share of core N', rate: true },
    { name: 'load1', unit: 'load', help: 'Load average over 1 minute' },
    { name: 'load5', unit: 'load', help: 'Load average over 5 minutes' },
    { name: 'load15', unit: 'load', help: 'Load average over 15 minutes' },
    { name: 'load1_per_core', unit: 'load', help: 'Load average over 1 minute divided by online cores' },
    { name: 'load5_per_core', unit: 'load', help: 'Load average over 5 minutes divided by online cores' },
    { name: 'load15_per_core', unit: 'load', help: 'Load average over 15 minutes divided by online cores' },
    { name: 'cores', unit: 'count', help: "Online cores, or a container's CPU quota in cores (1.5)" },
  ],
  mainMetric: 'usage_percent',
  defaultThresholds: { usage_percent: { warn: 80, crit: 95 } },
  needsTwoSamples: true,
  create: (options) => {
    // Keyed by core, and "total" for the sum; a counter that went backwards gives no usage (cpuUsageBetween).
    const rates = createRateTracker<number | 'total', CpuTimes>(() => false);
    let quotaBefore: { seconds: QuotaSeconds; at: number } | undefined;
    const limitsOf = createScopeReader(options.scope);
    return ({ host, monotonicMs }) => {
      const now = monotonicMs();
      const quota = limitsOf(host)?.cpu;
      if (quota) {
        // The container's CPU: its quota is its cores, and busy is the share of the quota its cgroup used.
        const load = readLoadavg(host);
        const metrics: Record<string, number> = {
          cores: quota.cores,
          load1: load.load1,
          load5: load.load5,
          load15: load.load15,
        };
        const before = quotaBefore;
        quotaBefore = { seconds: quota, at: now };
        const wall = before ? (now - before.at) / 1000 : 0;
        if (before && wall > 0.05) {
          const share = (seconds: number): number => Math.max(0, Math.min(100, (seconds / (wall * quota.cores)) * 100));
          metrics.usage_percent = share(quota.totalSeconds - before.seconds.totalSeconds);
          metrics.user_percent = share(quota.userSeconds - before.seconds.userSeconds);
          metrics.system_percent = share(quota.systemSeconds - before.seconds.systemSeconds);
        }
        return [{ metrics, labels: { scope: 'container' } }];
      }
      const current = readProcStat(host);
      const load = readLoadavg(host);
      const cores = Math.max(current.cores.size, 1);
      const metrics: Record<string, number> = {
        load1: load.load1,
        load5: load.load5,
        load15: load.load15,
        load1_per_core: load.load1 / cores,
        load5_per_core: load.load5 / cores,
        load15_per_core: load.load15 / cores,
        cores,
      };
      const base = rates.observe('total', current.total, now);
      const usage = base && cpuUsageBetween(base.counters, current.total);
      if (usage) {
        Object.assign(metrics, {
          usage_percent: usage.busyPercent,
          user_percent: usage.userPercent,
          system_percent: usage.systemPercent,
          iowait_percent: usage.iowaitPercent,
          steal_percent: usage.stealPercent,
        });
      }
      if (options.per_core) {
        // A hot-plugged core has no baseline yet, an unplugged one no value.
        current.cores.forEach((times, core) => {
          const before = rates.observe(core, times, now);
          const coreUsage = before && cpuUsageBetween(before.counters, times);
          if (coreUsage) metrics[`core${core}_usage_percent`] = coreUsage.busyPercent;
        });
      }
      rates.end();
      return [{ metrics }];
    };
  },
  portable: async (_options, si) => {
    const load = await si.currentLoad();
    const cores = Math.max(load.cpus.length, 1);
    // systeminformation has no iowait, and Windows has no load average (os.loadavg() is always zeros there):
    // leave them out rather than report a zero that was never measured.
    const metrics: Record<string, number> = {
      usage_percent: load.currentLoad,
      user_percent: load.currentLoadUser + load.currentLoadNice,
      system_percent: load.currentLoadSystem + load.currentLoadIrq,
      steal_percent: load.currentLoadSteal,
      cores,
    };
    if (process.platform !== 'win32') {
      const [load1 = 0, load5 = 0, load15 = 0] = loadavg();
      Object.assign(metrics, {
        load1,
        load5,
        load15,
        load1_per_core: load1 / cores,
        load5_per_core: load5 / cores,
        load15_per_core: load15 / cores,
      });
    }
    load.cpus.forEach((cpu, index) => (metrics[`core${index}_usage_percent`] = cpu.load));
    return [{ metrics }];
  },
  summarize: ({ metrics, labels }: Reading) => {
    if (labels?.scope === 'container') {
      const loads = `load ${[metrics.load1, metrics.load5, metrics.load15].map((value) => (value ?? 0).toFixed(2)).join(' ')} (host)`;
      const busy =
        metrics.usage_percent === undefined
          ? ''
          : `${formatPercent(metrics.usage_percent)} of the container's ${metrics.cores ?? 0}-core quota busy (user ${(metrics.user_percent ?? 0).toFixed(1)}, system ${(metrics.system_percent ?? 0).toFixed(1)}), `;
      return `${busy}${loads}`;
    }
    const load = `load ${[metrics.load1, metrics.load5, metrics.load15].map((value) => (value ?? 0).toFixed(2)).join(' ')}`;
    const perCore = `(${(metrics.load1_per_core ?? 0).toFixed(2)}/core, ${metrics.cores ?? 0} cores)`;
    if (metrics.usage_percent === undefined) return `${load} ${perCore}`;
    const modes = ['user', 'system', 'iowait', 'steal']
      .filter((mode) => metrics[`${mode}_percent`] !== undefined)
      .map((mode) => `${mode} ${(metrics[`${mode}_percent`] ?? 0).toFixed(1)}`)
      .join(', ');
    return `${formatPercent(metrics.usage_percent)} busy (${modes}), ${load} ${perCore}`;
  },
});
