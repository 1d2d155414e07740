import * as v from 'valibot';
import { pathSchema } from '../schema/os-values.ts';
import { readAmdGpus, type AmdGpu } from '../collect/amdgpu.ts';
import { createNvidiaSmiReader, type NvidiaGpu } from '../collect/nvidia-smi.ts';
import { CommandTimeoutError } from '../platform/run-command.ts';
import { CheckUnavailableError } from '../errors.ts';
import { DURATION_LIMITS, durationSchema } from '../schema/duration.ts';
import { formatBytes } from '../format/units.ts';
import { defineCheck, type Reading } from './check.ts';

const BACKOFF_AFTER_FAILURES = 3;
const MAX_BACKOFF_MS = 5 * 60_000;

const percentOf = (used: number | undefined, total: number | undefined): number | undefined =>
  used !== undefined && total ? (used / total) * 100 : undefined;

function compact(metrics: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(metrics).filter((entry): entry is [string, number] => entry[1] !== undefined),
  );
}

const nvidiaReading = (gpu: NvidiaGpu): Reading => ({
  instance: `gpu${gpu.index}`,
  labels: { vendor: 'nvidia', name: gpu.name, uuid: gpu.uuid },
  metrics: compact({
    utilization_percent: gpu.utilizationPercent,
    memory_used_bytes: gpu.memoryUsedBytes,
    memory_total_bytes: gpu.memoryTotalBytes,
    memory_used_percent: percentOf(gpu.memoryUsedBytes, gpu.memoryTotalBytes),
    temperature_celsius: gpu.temperatureCelsius,
    power_watts: gpu.powerDrawWatts,
    power_limit_watts: gpu.powerLimitWatts,
    fan_percent: gpu.fanPercent,
  }),
});

const amdReading = (gpu: AmdGpu): Reading => ({
  instance: gpu.card,
  labels: { vendor: 'amd' },
  metrics: compact({
    utilization_percent: gpu.busyPercent,
    memory_used_bytes: gpu.vramUsedBytes,
    memory_total_bytes: gpu.vramTotalBytes,
    memory_used_percent: percentOf(gpu.vramUsedBytes, gpu.vramTotalBytes),
    temperature_celsius: gpu.temperatureCelsius,
    power_watts: gpu.powerWatts,
    power_limit_watts: gpu.powerCapWatts,
    fan_percent: gpu.fanPercent,
  }),
});

export const gpuCheck = defineCheck({
  description: 'Utilization, memory, temperature, power and fan per GPU: NVIDIA through nvidia-smi, AMD through sysfs',
  categories: ['hardware', 'gpu'],
  options: v.strictObject({
    nvidia_smi: v.pipe(
      v.optional(pathSchema, 'nvidia-smi'),
      v.description('The nvidia-smi program, looked up on PATH unless a path'),
    ),
    nvidia_smi_timeout: v.pipe(
      v.optional(durationSchema(DURATION_LIMITS.timeout), 5),
      v.description('Seconds nvidia-smi may take before it is killed'),
    ),
    include_amd: v.pipe(v.optional(v.boolean(), true), v.description('Read AMD GPUs from /sys/class/drm')),
  }),
  metrics: [
    { name: 'utilization_percent', unit: 'percent', help: 'Share of time the GPU was busy' },
    { name: 'memory_used_bytes', unit: 'bytes', help: 'GPU memory in use' },
    { name: 'memory_total_bytes', unit: 'bytes', help: 'GPU memory installed' },
    { name: 'memory_used_percent', unit: 'percent', help: 'GPU memory in use as a share' },
    { name: 'temperature_celsius', unit: 'celsius', help: 'GPU core temperature' },
    { name: 'power_watts', unit: 'watts', help: 'Power draw' },
    { name: 'power_limit_watts', unit: 'watts', help: 'Power limit' },
    { name: 'fan_percent', unit: 'percent', help: 'Fan speed as a share of its maximum' },
  ],
  mainMetric: 'utilization_percent',
  defaultThresholds: { temperature_celsius: { warn: 85, crit: 95 }, memory_used_percent: { warn: 90, crit: 98 } },
  create: (options) => {
    const readNvidia = createNvidiaSmiReader({
      command: options.nvidia_smi,
      timeoutMs: options.nvidia_smi_timeout * 1000,
    });
    let failures = 0;
    let retryAtMs = 0;

    const nvidiaReadings = async (nowMs: number): Promise<Reading[]> => {
      if (nowMs < retryAtMs)
        return [
          {
            instance: 'nvidia',
            metrics: {},
            unknown: `nvidia-smi failed ${failures} times in a row; next try in ${Math.ceil((retryAtMs - nowMs) / 1000)}s`,
          },
        ];
      try {
        const answer = await readNvidia();
        if (answer.kind === 'busy')
          return [{ instance: 'nvidia', metrics: {}, unknown: 'previous nvidia-smi call is still running' }];
        failures = 0;
        return answer.kind === 'absent' ? [] : answer.gpus.map(nvidiaReading);
      } catch (error) {
        failures += 1;
        // nvidia-smi hangs on some GPUs when called often (utkuozdemir/nvidia_gpu_exporter#89): back off.
        if (failures >= BACKOFF_AFTER_FAILURES) retryAtMs = nowMs + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures);
        const reason =
          error instanceof CommandTimeoutError
            ? `nvidia-smi timeout after ${options.nvidia_smi_timeout}s`
            : (error as Error).message;
        return [{ instance: 'nvidia', metrics: {}, unknown: reason }];
      }
    };

    return async ({ host, monotonicMs }) => {
      const readings = await nvidiaReadings(monotonicMs());
      if (options.include_amd) readings.push(...readAmdGpus(host).map(amdReading));
      if (readings.length === 0) throw new CheckUnavailableError('no GPU found');
      return readings;
    };
  },
  portable: async (_options, si) => {
    const MIB = 1024 * 1024;
    const readings = (await si.graphics()).controllers.map((gpu, index): Reading => {
      const used = gpu.memoryUsed === undefined ? undefined : gpu.memoryUsed * MIB;
      const total = gpu.memoryTotal === undefined ? undefined : gpu.memoryTotal * MIB;
      return {
        instance: `gpu${index}`,
        labels: { vendor: gpu.vendor, name: gpu.model },
        metrics: compact({
          utilization_percent: gpu.utilizationGpu,
          memory_used_bytes: used,
          memory_total_bytes: total,
          memory_used_percent: percentOf(used, total),
          temperature_celsius: gpu.temperatureGpu,
          power_watts: gpu.powerDraw,
          power_limit_watts: gpu.powerLimit,
          fan_percent: gpu.fanSpeed,
        }),
      };
    });
    if (readings.length === 0) throw new CheckUnavailableError('no GPU found');
    return readings;
  },
  summarize: ({ instance, labels, metrics }) => {
    const parts = [`${instance ?? ''}${labels?.name ? ` (${labels.name})` : ''}:`];
    if (metrics.utilization_percent !== undefined) parts.push(`${metrics.utilization_percent.toFixed(0)}% busy`);
    if (metrics.memory_used_bytes !== undefined && metrics.memory_total_bytes !== undefined) {
      parts.push(`mem ${formatBytes(metrics.memory_used_bytes)}/${formatBytes(metrics.memory_total_bytes)}`);
    }
    if (metrics.temperature_celsius !== undefined) parts.push(`${metrics.temperature_celsius.toFixed(0)}°C`);
    if (metrics.power_watts !== undefined) {
      parts.push(
        `${metrics.power_watts.toFixed(0)}${metrics.power_limit_watts === undefined ? '' : `/${metrics.power_limit_watts.toFixed(0)}`} W`,
      );
    }
    if (metrics.fan_percent !== undefined) parts.push(`fan ${metrics.fan_percent.toFixed(0)}%`);
    return parts.join(' ');
  },
});
