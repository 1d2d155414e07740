import * as v from 'valibot';
import { readNetDev } from '../collect/net-dev.ts';
import { nameFilter, regexSchema } from '../schema/regex.ts';
import { defineExporter } from './exporter.ts';
import { NETWORK } from './families.ts';
import type { ExportedSample } from './series.ts';

/**
 * node_exporter's netdev collector: the 16 counters of /proc/net/dev per interface (node_exporter's
 * --no-collector.netdev.netlink; netlink adds only receive_nohandler).
 */
export const netdevExporter = defineExporter({
  description: 'Bytes, packets, errors, drops, FIFO, frame, multicast and collisions per interface, from /proc/net/dev',
  options: v.strictObject({
    device_include: v.pipe(
      v.optional(regexSchema),
      v.description('Only these interfaces (--collector.netdev.device-include)'),
    ),
    device_exclude: v.pipe(
      v.optional(regexSchema),
      v.description('Not these interfaces (--collector.netdev.device-exclude)'),
    ),
  }),
  collect: ({ host }, options) => {
    const wanted = nameFilter(options.device_include, options.device_exclude);
    const samples: ExportedSample[] = [];
    for (const [device, counters] of readNetDev(host)) {
      if (!wanted(device)) continue;
      const labels = { device };
      for (const [field, family] of NETWORK) {
        const value = counters[field];
        if (value !== undefined) samples.push({ family, labels, value });
      }
    }
    return samples;
  },
});
