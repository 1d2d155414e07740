import * as v from 'valibot';
import { createScopeReader } from '../collect/cgroup.ts';
import { readMeminfo } from '../collect/meminfo.ts';
import { formatBytes, formatPercent } from '../format/units.ts';
import { defineCheck } from './check.ts';

export const ramCheck = defineCheck({
  description: 'Physical memory in use (from MemAvailable, not total minus free) and swap, from /proc/meminfo',
  categories: ['system', 'memory'],
  options: v.strictObject({
    include_swap: v.pipe(v.optional(v.boolean(), true), v.description('Report swap figures')),
    scope: v.pipe(
      v.optional(v.picklist(['auto', 'host', 'container']), 'auto'),
      v.description(
        "auto: inside a container with a memory limit, used and total are the container's (its cgroup's); host: always the machine's",
      ),
    ),
  }),
  metrics: [
    { name: 'used_percent', unit: 'percent', help: 'Memory not available to new work, as a share of the total' },
    { name: 'used_bytes', unit: 'bytes', help: 'MemTotal minus MemAvailable' },
    { name: 'available_bytes', unit: 'bytes', help: 'Memory usable without swapping (MemAvailable)' },
    { name: 'total_bytes', unit: 'bytes', help: "Physical memory (MemTotal), or a container's memory limit" },
    {
      name: 'swap_used_percent',
      unit: 'percent',
      help: 'Swap in use as a share of swap; absent when there is no swap',
    },
    { name: 'swap_used_bytes', unit: 'bytes', help: 'Swap in use' },
    { name: 'swap_total_bytes', unit: 'bytes', help: 'Swap configured' },
  ],
  mainMetric: 'used_percent',
  defaultThresholds: { used_percent: { warn: 85, crit: 95 } },
  create: (options) => {
    const limitsOf = createScopeReader(options.scope);
    return ({ host }) => {
      const mem = readMeminfo(host);
      const limited = limitsOf(host)?.memory;
      if (limited) {
        // The container's memory: its limit as the total, its working set as used; the host's swap is not its own.
        const total = Math.min(limited.limitBytes, mem.totalBytes);
        const used = Math.min(limited.workingSetBytes, total);
        return [
          {
            metrics: {
              used_percent: (used / total) * 100,
              used_bytes: used,
              available_bytes: total - used,
              total_bytes: total,
            },
            labels: { scope: 'container' },
          },
        ];
      }
      const usedBytes = mem.totalBytes - mem.availableBytes;
      const metrics: Record<string, number> = {
        used_percent: mem.totalBytes > 0 ? (usedBytes / mem.totalBytes) * 100 : 0,
        used_bytes: usedBytes,
        available_bytes: mem.availableBytes,
        total_bytes: mem.totalBytes,
      };
      if (options.include_swap) {
        const swapUsed = mem.swapTotalBytes - mem.swapFreeBytes;
        metrics.swap_used_bytes = swapUsed;
        metrics.swap_total_bytes = mem.swapTotalBytes;
        // No swap is a configuration, not an alarm: leave the percentage out so no threshold can fire on it.
        if (mem.swapTotalBytes > 0) metrics.swap_used_percent = (swapUsed / mem.swapTotalBytes) * 100;
      }
      return [{ metrics }];
    };
  },
  portable: async (options, si) => {
    const mem = await si.mem();
    const metrics: Record<string, number> = {
      used_percent: mem.total > 0 ? ((mem.total - mem.available) / mem.total) * 100 : 0,
      used_bytes: mem.total - mem.available,
      available_bytes: mem.available,
      total_bytes: mem.total,
    };
    if (options.include_swap) {
      metrics.swap_used_bytes = mem.swapused;
      metrics.swap_total_bytes = mem.swaptotal;
      if (mem.swaptotal > 0) metrics.swap_used_percent = (mem.swapused / mem.swaptotal) * 100;
    }
    return [{ metrics }];
  },
  summarize: ({ metrics, labels }) => {
    const of = labels?.scope === 'container' ? ' (container limit)' : '';
    const ram = `${formatPercent(metrics.used_percent ?? 0)} used, ${formatBytes(metrics.available_bytes ?? 0)} available of ${formatBytes(metrics.total_bytes ?? 0)}${of}`;
    if (metrics.swap_total_bytes === undefined) return ram;
    if (metrics.swap_total_bytes === 0) return `${ram}; no swap`;
    return `${ram}; swap ${formatPercent(metrics.swap_used_percent ?? 0)} of ${formatBytes(metrics.swap_total_bytes)}`;
  },
});
