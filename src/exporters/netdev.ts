import { readNetDev } from '../collect/net-dev.ts';
import { defineExporter } from './exporter.ts';
import { NETWORK } from './families.ts';
import type { ExportedSample } from './series.ts';

/** node_exporter's netdev collector: the counters of /proc/net/dev per interface. */
export const netdevExporter = defineExporter({
  description: 'Bytes, packets, errors and drops per interface, from /proc/net/dev',
  collect: ({ host }) => {
    const samples: ExportedSample[] = [];
    for (const [device, counters] of readNetDev(host)) {
      const labels = { device };
      samples.push(
        { family: NETWORK.receiveBytes, labels, value: counters.rxBytes },
        { family: NETWORK.receivePackets, labels, value: counters.rxPackets },
        { family: NETWORK.receiveErrs, labels, value: counters.rxErrors },
        { family: NETWORK.receiveDrop, labels, value: counters.rxDropped },
        { family: NETWORK.transmitBytes, labels, value: counters.txBytes },
        { family: NETWORK.transmitPackets, labels, value: counters.txPackets },
        { family: NETWORK.transmitErrs, labels, value: counters.txErrors },
        { family: NETWORK.transmitDrop, labels, value: counters.txDropped },
      );
    }
    return samples;
  },
});
