import { CPU_MODES, readProcStat, USER_HZ } from '../collect/proc-stat.ts';
import { defineExporter } from './exporter.ts';
import { CPU_GUEST_SECONDS, CPU_SECONDS } from './families.ts';
import type { ExportedSample } from './series.ts';

/** node_exporter's cpu collector: seconds per core and mode, and in guests (no total line: sum() over cores gives it). */
export const cpuExporter = defineExporter({
  description: 'Seconds each core spent in each mode, from /proc/stat',
  collect: ({ host }) => {
    const samples: ExportedSample[] = [];
    for (const [core, times] of readProcStat(host).cores) {
      const cpu = String(core);
      for (const mode of CPU_MODES)
        samples.push({ family: CPU_SECONDS, labels: { cpu, mode }, value: times[mode] / USER_HZ });
      // node_exporter's --collector.cpu.guest, on by default.
      samples.push(
        { family: CPU_GUEST_SECONDS, labels: { cpu, mode: 'nice' }, value: (times.guestNice ?? 0) / USER_HZ },
        { family: CPU_GUEST_SECONDS, labels: { cpu, mode: 'user' }, value: (times.guest ?? 0) / USER_HZ },
      );
    }
    return samples;
  },
});
