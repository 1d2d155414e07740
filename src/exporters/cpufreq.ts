import { tryReadNumber } from '../collect/host.ts';
import { listSysCpus } from '../collect/sys-cpus.ts';
import { defineExporter } from './exporter.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

const gauge = (name: string, help: string): ExportedFamily => ({ name, type: 'gauge', help });
/** Files of cpu<N>/cpufreq in kHz, and node_exporter's families for them (in Hz). */
const FREQUENCIES: [file: string, family: ExportedFamily][] = [
  ['cpuinfo_cur_freq', gauge('node_cpu_frequency_hertz', 'Current CPU thread frequency in hertz.')],
  ['cpuinfo_max_freq', gauge('node_cpu_frequency_max_hertz', 'Maximum CPU thread frequency in hertz.')],
  ['cpuinfo_min_freq', gauge('node_cpu_frequency_min_hertz', 'Minimum CPU thread frequency in hertz.')],
  ['scaling_cur_freq', gauge('node_cpu_scaling_frequency_hertz', 'Current scaled CPU thread frequency in hertz.')],
  ['scaling_max_freq', gauge('node_cpu_scaling_frequency_max_hertz', 'Maximum scaled CPU thread frequency in hertz.')],
  ['scaling_min_freq', gauge('node_cpu_scaling_frequency_min_hertz', 'Minimum scaled CPU thread frequency in hertz.')],
];
const GOVERNOR = gauge('node_cpu_scaling_governor', 'Current enabled CPU frequency governor.');

/**
 * node_exporter's cpufreq collector: each CPU's frequency and its scaling bounds from
 * /sys/devices/system/cpu/cpu<N>/cpufreq (kHz there, Hz here), and which governor is on. Virtual machines often
 * have no cpufreq: then it says nothing.
 */
export const cpufreqExporter = defineExporter({
  description: 'CPU frequencies and scaling governors, from /sys/devices/system/cpu/cpu*/cpufreq',
  collect: ({ host }) => {
    const samples: ExportedSample[] = [];
    for (const { cpu, dir: cpuDir } of listSysCpus(host)) {
      const dir = `${cpuDir}/cpufreq`;
      const labels = { cpu };
      for (const [file, family] of FREQUENCIES) {
        const kHz = tryReadNumber(host, `${dir}/${file}`);
        if (kHz !== undefined) samples.push({ family, labels, value: kHz * 1000 });
      }
      const current = host.tryReadText(`${dir}/scaling_governor`)?.trim();
      const available = host.tryReadText(`${dir}/scaling_available_governors`)?.trim().split(/\s+/) ?? [];
      for (const governor of available.filter(Boolean))
        samples.push({ family: GOVERNOR, labels: { ...labels, governor }, value: governor === current ? 1 : 0 });
    }
    return samples;
  },
});
