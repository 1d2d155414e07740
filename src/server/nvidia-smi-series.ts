import type { ExportedFamily, ExportedSample } from '../exporters/series.ts';
import type { CheckResult } from '../result.ts';

const gauge = (name: string, help: string): ExportedFamily => ({ name, type: 'gauge', help });
const INFO = gauge('nvidia_smi_gpu_info', "A metric with a constant '1' value labeled by gpu uuid and name.");
/**
 * The gpu check's metrics under nvidia_gpu_exporter's names (utkuozdemir/nvidia_gpu_exporter: each
 * --query-gpu field, "." as "_", its unit as the suffix, percentages as ratios), for the dashboards and alert
 * rules written for it. Labelled by uuid, as that exporter labels them.
 */
const SERIES: readonly [metric: string, family: ExportedFamily, divisor: number][] = [
  ['utilization_percent', gauge('nvidia_smi_utilization_gpu_ratio', 'utilization.gpu [%] as a ratio'), 100],
  ['memory_used_bytes', gauge('nvidia_smi_memory_used_bytes', 'memory.used [MiB] in bytes'), 1],
  ['memory_total_bytes', gauge('nvidia_smi_memory_total_bytes', 'memory.total [MiB] in bytes'), 1],
  ['temperature_celsius', gauge('nvidia_smi_temperature_gpu', 'temperature.gpu in degrees Celsius'), 1],
  ['power_watts', gauge('nvidia_smi_power_draw_watts', 'power.draw [W]'), 1],
  ['power_limit_watts', gauge('nvidia_smi_power_limit_watts', 'power.limit [W]'), 1],
  ['fan_percent', gauge('nvidia_smi_fan_speed_ratio', 'fan.speed [%] as a ratio'), 100],
];

/**
 * nvidia_gpu_exporter's series for one NVIDIA GPU result of the gpu check (from the last cycle: nvidia-smi takes
 * tens of milliseconds and may hang in the driver, so it is not run per scrape). A field the card does not report
 * ([N/A] on MIG, no fan) has no series, as there.
 */
export function nvidiaSmiSeries(result: CheckResult): ExportedSample[] {
  const uuid = result.labels?.uuid;
  if (result.name !== 'gpu' || result.labels?.vendor !== 'nvidia' || uuid === undefined) return [];
  const samples: ExportedSample[] = [{ family: INFO, labels: { uuid, name: result.labels.name ?? '' }, value: 1 }];
  for (const [metric, family, divisor] of SERIES) {
    const value = result.metrics[metric];
    if (value !== undefined) samples.push({ family, labels: { uuid }, value: value / divisor });
  }
  return samples;
}
