import { readProcStat } from '../collect/proc-stat.ts';
import { procPath } from '../collect/host.ts';
import { defineExporter } from './exporter.ts';
import { BOOT_TIME } from './families.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

const family = (name: string, type: ExportedFamily['type'], help: string): ExportedFamily => ({ name, type, help });
/** The single-number lines of /proc/stat that node_exporter exports, by their first word. */
const LINES: Record<string, ExportedFamily> = {
  ctxt: family('node_context_switches_total', 'counter', 'Total number of context switches.'),
  processes: family('node_forks_total', 'counter', 'Total number of forks.'),
  intr: family('node_intr_total', 'counter', 'Total number of interrupts serviced.'),
  procs_running: family('node_procs_running', 'gauge', 'Number of processes in runnable state.'),
  procs_blocked: family('node_procs_blocked', 'gauge', 'Number of processes blocked waiting for I/O to complete.'),
};

/**
 * node_exporter's stat collector: boot time, context switches, forks, interrupts (their total: the first number of
 * the intr line) and the processes running and blocked now.
 */
export const statExporter = defineExporter({
  description: 'Boot time, context switches, forks, interrupts and runnable/blocked processes, from /proc/stat',
  collect: ({ host }) => {
    const samples: ExportedSample[] = [];
    const { bootTimeSeconds } = readProcStat(host);
    if (bootTimeSeconds !== undefined) samples.push({ family: BOOT_TIME, value: bootTimeSeconds });
    for (const line of host.readText(procPath(host, 'stat')).split('\n')) {
      const space = line.indexOf(' ');
      const found = LINES[line.slice(0, space)];
      if (found === undefined) continue;
      const end = line.indexOf(' ', space + 1);
      const value = Number(line.slice(space + 1, end === -1 ? undefined : end));
      if (Number.isFinite(value)) samples.push({ family: found, value });
    }
    return samples;
  },
});
