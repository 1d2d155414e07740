import { sysPath, tryReadNumber, type Host } from '../collect/host.ts';
import { CPU_MODES, readProcStat, USER_HZ } from '../collect/proc-stat.ts';
import { listSysCpus } from '../collect/sys-cpus.ts';
import { defineExporter } from './exporter.ts';
import { CPU_GUEST_SECONDS, CPU_SECONDS } from './families.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

const ISOLATED: ExportedFamily = {
  name: 'node_cpu_isolated',
  type: 'gauge',
  help: 'Whether each core is isolated, information from /sys/devices/system/cpu/isolated.',
};
const CORE_THROTTLES: ExportedFamily = {
  name: 'node_cpu_core_throttles_total',
  type: 'counter',
  help: 'Number of times this CPU core has been throttled.',
};
const PACKAGE_THROTTLES: ExportedFamily = {
  name: 'node_cpu_package_throttles_total',
  type: 'counter',
  help: 'Number of times this CPU package has been throttled.',
};

/** "1,3-5,9" (the kernel's cpulist format) as the CPUs it names. */
export function parseCpuList(text: string): number[] {
  return text
    .trim()
    .split(',')
    .filter(Boolean)
    .flatMap((part) => {
      const [from = '', to = from] = part.split('-');
      const first = Number(from);
      const last = Number(to);
      return Number.isInteger(first) && Number.isInteger(last)
        ? Array.from({ length: last - first + 1 }, (_, index) => first + index)
        : [];
    });
}

/**
 * Thermal throttling per core and per package (x86's thermal_throttle counters), counted once per core and
 * package, as node_exporter does: hyper-threads of one core share its counter.
 */
function throttles(host: Host, samples: ExportedSample[]): void {
  const cores = new Set<string>();
  const packages = new Set<string>();
  for (const { dir } of listSysCpus(host)) {
    const core = host.tryReadText(`${dir}/topology/core_id`)?.trim();
    const pkg = host.tryReadText(`${dir}/topology/physical_package_id`)?.trim();
    if (core === undefined || pkg === undefined) continue;
    if (!packages.has(pkg)) {
      const count = tryReadNumber(host, `${dir}/thermal_throttle/package_throttle_count`);
      if (count !== undefined) {
        packages.add(pkg);
        samples.push({ family: PACKAGE_THROTTLES, labels: { package: pkg }, value: count });
      }
    }
    if (!cores.has(`${pkg}:${core}`)) {
      const count = tryReadNumber(host, `${dir}/thermal_throttle/core_throttle_count`);
      if (count !== undefined) {
        cores.add(`${pkg}:${core}`);
        samples.push({ family: CORE_THROTTLES, labels: { core, package: pkg }, value: count });
      }
    }
  }
}

/**
 * node_exporter's cpu collector: seconds per core and mode, and in guests (no total line: sum() over cores gives
 * it); isolated cores (isolcpus=); thermal throttling per core and package.
 */
export const cpuExporter = defineExporter({
  description: 'Seconds each core spent in each mode (/proc/stat), isolated cores, thermal throttling',
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
    const isolated = host.tryReadText(sysPath(host, 'devices', 'system', 'cpu', 'isolated'));
    for (const cpu of parseCpuList(isolated ?? ''))
      samples.push({ family: ISOLATED, labels: { cpu: String(cpu) }, value: 1 });
    throttles(host, samples);
    return samples;
  },
});
