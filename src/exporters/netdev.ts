import * as v from 'valibot';
import { sysPath, tryReadNumber } from '../collect/host.ts';
import { readNetDev } from '../collect/net-dev.ts';
import { nameFilter, regexSchema } from '../schema/regex.ts';
import { defineExporter } from './exporter.ts';
import { NETWORK } from './families.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

const NOHANDLER: ExportedFamily = {
  name: 'node_network_receive_nohandler_total',
  type: 'counter',
  help: 'Network device statistic receive_nohandler.',
};

/**
 * node_exporter's netdev collector: the 16 counters of /proc/net/dev per interface (node_exporter's
 * --no-collector.netdev.netlink), and receive_nohandler, which only netlink and sysfs have
 * (/sys/class/net/<device>/statistics/rx_nohandler, kernel 4.6+).
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
      const nohandler = tryReadNumber(host, sysPath(host, 'class', 'net', device, 'statistics', 'rx_nohandler'));
      if (nohandler !== undefined) samples.push({ family: NOHANDLER, labels, value: nohandler });
    }
    return samples;
  },
});
