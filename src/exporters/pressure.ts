import { procPath } from '../collect/host.ts';
import { defineExporter } from './exporter.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

const counter = (name: string, help: string): ExportedFamily => ({ name, type: 'counter', help });
/** node_exporter's names: "some" is time someone waited, "full" time nobody could run (cpu has no full line). */
const FAMILIES: Record<string, { some: ExportedFamily; full?: ExportedFamily }> = {
  cpu: {
    some: counter(
      'node_pressure_cpu_waiting_seconds_total',
      'Total time in seconds that processes have waited for CPU time',
    ),
  },
  io: {
    some: counter(
      'node_pressure_io_waiting_seconds_total',
      'Total time in seconds that processes have waited due to IO congestion',
    ),
    full: counter(
      'node_pressure_io_stalled_seconds_total',
      'Total time in seconds no process could make progress due to IO congestion',
    ),
  },
  memory: {
    some: counter(
      'node_pressure_memory_waiting_seconds_total',
      'Total time in seconds that processes have waited for memory',
    ),
    full: counter(
      'node_pressure_memory_stalled_seconds_total',
      'Total time in seconds no process could make progress due to memory congestion',
    ),
  },
  irq: {
    some: counter(
      'node_pressure_irq_stalled_seconds_total',
      'Total time in seconds no process could make progress due to IRQ congestion',
    ),
  },
};

/** The `total=` microseconds of one line ("some avg10=0.00 avg60=0.00 avg300=0.00 total=14036781"). */
const totalOf = (text: string, kind: 'some' | 'full'): number | undefined => {
  const match = new RegExp(`^${kind} .*\\btotal=(\\d+)`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
};

/**
 * node_exporter's pressure collector: PSI stall time of /proc/pressure/{cpu,io,memory,irq} (kernel 4.20+, with
 * CONFIG_PSI). irq has only a "full" line, which node_exporter names stalled.
 */
export const pressureExporter = defineExporter({
  description: 'Pressure stall time for CPU, I/O, memory and IRQ, from /proc/pressure',
  collect: ({ host }) => {
    const samples: ExportedSample[] = [];
    for (const [resource, families] of Object.entries(FAMILIES)) {
      const text = host.tryReadText(procPath(host, 'pressure', resource));
      if (text === undefined) continue; // irq before 6.1; all of it without PSI
      // node_exporter divides twice, and so its values end in ...0000001 where one division would not.
      const seconds = (micros: number): number => micros / 1000 / 1000;
      const some = totalOf(text, resource === 'irq' ? 'full' : 'some');
      if (some !== undefined) samples.push({ family: families.some, value: seconds(some) });
      const full = families.full === undefined ? undefined : totalOf(text, 'full');
      if (families.full && full !== undefined) samples.push({ family: families.full, value: seconds(full) });
    }
    return samples;
  },
});
