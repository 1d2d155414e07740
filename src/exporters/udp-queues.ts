import { procPath } from '../collect/host.ts';
import { defineExporter } from './exporter.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

const QUEUES: ExportedFamily = {
  name: 'node_udp_queues',
  type: 'gauge',
  help: 'Number of allocated memory in the kernel for UDP datagrams in bytes.',
};

/** The summed tx_queue and rx_queue ("00000015:00000000", hex bytes) of every socket in /proc/net/udp{,6}. */
function queues(text: string): { tx: number; rx: number } {
  let tx = 0;
  let rx = 0;
  for (const line of text.split('\n').slice(1)) {
    const column = line.trim().split(/\s+/)[4];
    const colon = column?.indexOf(':') ?? -1;
    if (column === undefined || colon === -1) continue;
    tx += Number.parseInt(column.slice(0, colon), 16);
    rx += Number.parseInt(column.slice(colon + 1), 16);
  }
  return { tx, rx };
}

/** node_exporter's udp_queues collector: bytes waiting in UDP sockets' send and receive queues, IPv4 and IPv6. */
export const udpQueuesExporter = defineExporter({
  description: 'Bytes queued in UDP sockets, from /proc/net/udp and udp6',
  collect: ({ host }) => {
    const samples: ExportedSample[] = [];
    for (const [ip, file] of [
      ['v4', 'udp'],
      ['v6', 'udp6'],
    ] as const) {
      const text = host.tryReadText(procPath(host, 'net', file));
      if (text === undefined) continue; // IPv6 off
      const { tx, rx } = queues(text);
      samples.push(
        { family: QUEUES, labels: { ip, queue: 'rx' }, value: rx },
        { family: QUEUES, labels: { ip, queue: 'tx' }, value: tx },
      );
    }
    return samples;
  },
});
