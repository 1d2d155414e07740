import { CommandTimeoutError, isNotFound, runCommand } from '../platform/run-command.ts';

/** The exact query the gpu check runs; fixtures under test/fixtures/nvidia-smi answer this query. */
export const NVIDIA_QUERY_FIELDS = [
  'index',
  'uuid',
  'name',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'fan.speed',
] as const;

export const nvidiaSmiArgs = (): string[] => [
  `--query-gpu=${NVIDIA_QUERY_FIELDS.join(',')}`,
  '--format=csv,noheader,nounits',
];

export interface NvidiaGpu {
  index: string;
  uuid: string;
  name: string;
  utilizationPercent?: number;
  memoryUsedBytes?: number;
  memoryTotalBytes?: number;
  temperatureCelsius?: number;
  powerDrawWatts?: number;
  powerLimitWatts?: number;
  fanPercent?: number;
}

const MIB = 1024 * 1024;

// nvidia-smi writes "[N/A]", "[Not Supported]", "[Unknown Error]" and friends for fields a card lacks.
const optionalNumber = (field: string, text: string | undefined, line: string): number | undefined => {
  const value = text?.trim() ?? '';
  if (value === '' || value.startsWith('[') || value === 'N/A') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number))
    throw new SyntaxError(`Cannot parse nvidia-smi field "${field}" = "${value}" in line "${line}"`);
  return number;
};

/** Parses `--format=csv,noheader,nounits` output of NVIDIA_QUERY_FIELDS; one line per GPU. */
export function parseNvidiaSmi(text: string): NvidiaGpu[] {
  const gpus: NvidiaGpu[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const raw = line.split(',').map((field) => field.trim());
    // Only the name can hold a comma; fold any extra fields back into it.
    const extra = raw.length - NVIDIA_QUERY_FIELDS.length;
    const fields = extra > 0 ? [...raw.slice(0, 2), raw.slice(2, 3 + extra).join(', '), ...raw.slice(3 + extra)] : raw;
    if (fields.length !== NVIDIA_QUERY_FIELDS.length) {
      throw new SyntaxError(
        `Cannot parse nvidia-smi line "${line}": ${fields.length} fields, expected ${NVIDIA_QUERY_FIELDS.length}`,
      );
    }
    const [index = '', uuid = '', name = '', util, memUsed, memTotal, temp, powerDraw, powerLimit, fan] = fields;
    if (!/^\d+$/.test(index))
      throw new SyntaxError(`Cannot parse nvidia-smi line "${line}": index "${index}" is not a number`);
    const gpu: NvidiaGpu = { index, uuid, name };
    const set = <K extends keyof NvidiaGpu>(key: K, value: NvidiaGpu[K] | undefined): void => {
      if (value !== undefined) gpu[key] = value;
    };
    const memoryUsed = optionalNumber('memory.used', memUsed, line);
    const memoryTotal = optionalNumber('memory.total', memTotal, line);
    set('utilizationPercent', optionalNumber('utilization.gpu', util, line));
    set('memoryUsedBytes', memoryUsed === undefined ? undefined : memoryUsed * MIB);
    set('memoryTotalBytes', memoryTotal === undefined ? undefined : memoryTotal * MIB);
    set('temperatureCelsius', optionalNumber('temperature.gpu', temp, line));
    set('powerDrawWatts', optionalNumber('power.draw', powerDraw, line));
    set('powerLimitWatts', optionalNumber('power.limit', powerLimit, line));
    set('fanPercent', optionalNumber('fan.speed', fan, line));
    gpus.push(gpu);
  }
  return gpus;
}

export type NvidiaSmiAnswer = { kind: 'gpus'; gpus: NvidiaGpu[] } | { kind: 'absent' } | { kind: 'busy' };

/**
 * Creates a reader that keeps at most one nvidia-smi in flight: the tool can hang in the driver (D state)
 * and a new call per cycle would pile up unkillable processes (NVIDIA/gpu-monitoring-tools#46).
 */
export function createNvidiaSmiReader(options: { command: string; timeoutMs: number; env?: NodeJS.ProcessEnv }) {
  let inFlight = false;
  return async (): Promise<NvidiaSmiAnswer> => {
    if (inFlight) return { kind: 'busy' };
    inFlight = true;
    let output;
    try {
      output = await runCommand([options.command, ...nvidiaSmiArgs()], {
        timeoutMs: options.timeoutMs,
        maxOutputBytes: 256 * 1024,
        ...(options.env ? { env: options.env } : {}),
        onExit: () => {
          inFlight = false;
        },
      });
    } catch (error) {
      // After a timeout the child may still be alive; onExit clears the flag once it really exits.
      if (!(error instanceof CommandTimeoutError)) inFlight = false;
      if (isNotFound(error)) return { kind: 'absent' };
      throw error;
    }
    // Exit 6 and 9 mean "no devices" and "driver not loaded": a host without a usable NVIDIA GPU, not a failure.
    if (output.exitCode === 6 || output.exitCode === 9 || /No devices were found/i.test(output.stdout))
      return { kind: 'absent' };
    if (output.exitCode !== 0) {
      const reason = (output.stderr.trim() || output.stdout.trim()).split('\n')[0] ?? '';
      throw new Error(`nvidia-smi exited with code ${String(output.exitCode)}: ${reason.slice(0, 200)}`);
    }
    return { kind: 'gpus', gpus: parseNvidiaSmi(output.stdout) };
  };
}
