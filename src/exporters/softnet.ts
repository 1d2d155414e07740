import { procPath } from '../collect/host.ts';
import { defineExporter } from './exporter.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

const family = (name: string, type: ExportedFamily['type'], help: string): ExportedFamily => ({ name, type, help });
const PROCESSED = family('node_softnet_processed_total', 'counter', 'Number of processed packets');
const DROPPED = family('node_softnet_dropped_total', 'counter', 'Number of dropped packets');
const SQUEEZED = family(
  'node_softnet_times_squeezed_total',
  'counter',
  'Number of times processing packets ran out of quota',
);
const COLLISION = family(
  'node_softnet_cpu_collision_total',
  'counter',
  'Number of collision occur while obtaining device lock while transmitting',
);
const RPS = family('node_softnet_received_rps_total', 'counter', 'Number of times cpu woken up received_rps');
const FLOW_LIMIT = family(
  'node_softnet_flow_limit_count_total',
  'counter',
  'Number of times flow limit has been reached',
);
const BACKLOG = family('node_softnet_backlog_len', 'gauge', 'Softnet backlog status');

/**
 * node_exporter's softnet collector: /proc/net/softnet_stat, one line of hex counters per CPU (net/core/net-procfs.c).
 * Kernels before 5.10 have no backlog column (0), before 6.1 no CPU column (the line's index is the CPU).
 */
export const softnetExporter = defineExporter({
  description: 'Packets processed, dropped and squeezed per CPU, from /proc/net/softnet_stat',
  collect: ({ host }) => {
    const samples: ExportedSample[] = [];
    const lines = host.readText(procPath(host, 'net', 'softnet_stat')).split('\n');
    lines.forEach((line, index) => {
      const columns = line.trim().split(/\s+/);
      if (columns.length < 11) return;
      const hex = (column: number): number => Number.parseInt(columns[column] ?? '0', 16);
      const cpu = String(columns.length >= 13 ? hex(12) : index);
      const labels = { cpu };
      samples.push(
        { family: PROCESSED, labels, value: hex(0) },
        { family: DROPPED, labels, value: hex(1) },
        { family: SQUEEZED, labels, value: hex(2) },
        { family: COLLISION, labels, value: hex(8) },
        { family: RPS, labels, value: hex(9) },
        { family: FLOW_LIMIT, labels, value: hex(10) },
        { family: BACKLOG, labels, value: columns.length >= 12 ? hex(11) : 0 },
      );
    });
    return samples;
  },
});
