import * as v from 'valibot';
import { procPath } from '../collect/host.ts';
import { nameFilter, regexSchema } from '../schema/regex.ts';
import { defineExporter } from './exporter.ts';
import type { ExportedFamily } from './series.ts';

const ENTRIES: ExportedFamily = { name: 'node_arp_entries', type: 'gauge', help: 'ARP entries by device' };

/**
 * node_exporter's arp collector: neighbour entries per interface, from /proc/net/arp (node_exporter asks netlink by
 * default; the table is the same, and a file can be read under host.procfs).
 */
export const arpExporter = defineExporter({
  description: 'ARP (IPv4 neighbour) entries per interface, from /proc/net/arp',
  options: v.strictObject({
    device_include: v.pipe(
      v.optional(regexSchema),
      v.description('Only these devices (--collector.arp.device-include)'),
    ),
    device_exclude: v.pipe(
      v.optional(regexSchema),
      v.description('Not these devices (--collector.arp.device-exclude)'),
    ),
  }),
  collect: ({ host }, options) => {
    const wanted = nameFilter(options.device_include, options.device_exclude);
    const counts = new Map<string, number>();
    for (const line of host
      .readText(procPath(host, 'net', 'arp'))
      .split('\n')
      .slice(1)) {
      const device = line.trim().split(/\s+/)[5];
      if (device === undefined || !wanted(device)) continue;
      counts.set(device, (counts.get(device) ?? 0) + 1);
    }
    return [...counts].map(([device, count]) => ({ family: ENTRIES, labels: { device }, value: count }));
  },
});
