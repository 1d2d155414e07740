import type * as v from 'valibot';
import type { Host } from '../collect/host.ts';
import type { SystemInformation } from '../collect/systeminformation.ts';
import type { Status } from '../result.ts';

export type Unit =
  'percent' | 'bytes' | 'bytes_per_second' | 'per_second' | 'seconds' | 'celsius' | 'watts' | 'count' | 'load';

export const UNITS: readonly Unit[] = [
  'percent',
  'bytes',
  'bytes_per_second',
  'per_second',
  'seconds',
  'celsius',
  'watts',
  'count',
  'load',
];

/**
 * One number a check reports. Names carry their unit ("used_bytes", "rx_bytes_per_second") and are the keys
 * users write in `thresholds`.
 * @example { name: 'used_percent', unit: 'percent', help: 'Memory in use, from MemAvailable' }
 */
export interface MetricSpec {
  name: string;
  unit: Unit;
  help: string;
  /** Measured between two samples (a rate, a busy share): a one-shot run waits `sample_window` only for these. */
  rate?: true;
}

/** What a check measured for one instance (a mount, an interface, a GPU), or why it could not. */
export interface Reading {
  instance?: string;
  metrics: Record<string, number>;
  /** Facts that identify the instance without being numbers: device, fstype, GPU name. */
  labels?: Record<string, string>;
  /** Set when this instance could not be measured; the result is UNKNOWN with this reason. */
  unknown?: string;
  /** Set when the status comes from elsewhere (a Nagios plugin's exit code) rather than Argus' thresholds. */
  verdict?: { status: Status; details: string };
  /** The raw values behind the metrics, for /metrics (node_exporter's names where it collects the same). */
}

export interface CheckContext {
  host: Host;
  signal: AbortSignal;
  /** Monotonic milliseconds; rates divide by its deltas so that wall-clock jumps cannot distort them. */
  monotonicMs: () => number;
  /** When the run's deadline falls, on the monotonic clock: a check whose own waits could pass it bounds them by it. */
  deadlineMs?: number;
}

/** Reads once; may be synchronous, since most /proc reads are cheaper done synchronously. */
export type Collect = (context: CheckContext) => Reading[] | Promise<Reading[]>;

/** A threshold: a number alerts at or above it; a string is a Nagios range (`"10:"`, `"~:10"`, `"@10:20"`). */
export type Threshold = number | string;

export interface ThresholdPair {
  warn?: Threshold;
  crit?: Threshold;
}

/**
 * A check measures and nothing else: the runner adds timeouts, retries, thresholds and timestamps.
 * State between runs (the last counters of a rate) lives in the closure that create() returns.
 * @example
 * export const uptimeCheck = defineCheck({
 *   description: 'Seconds since boot', categories: ['system'], options: v.strictObject({}),
 *   metrics: [{ name: 'uptime_seconds', unit: 'count', help: 'Seconds since boot' }], mainMetric: 'uptime_seconds',
 *   create: () => ({ host }) => [{ metrics: { uptime_seconds: readUptime(host) } }],
 *   summarize: (reading) => `up ${reading.metrics.uptime_seconds}s`,
 * });
 */
/** Check options are always a strict object, so the config schema can add the runner's own keys to it. */
export type OptionsSchema = v.StrictObjectSchema<v.ObjectEntries, undefined>;

export interface Check<S extends OptionsSchema = OptionsSchema> {
  description: string;
  categories: readonly string[];
  /** Options with their defaults; the config schema is assembled from these. */
  options: S;
  metrics: readonly MetricSpec[];
  /** The metric that the short threshold form `{ warn, crit }` applies to. */
  mainMetric: string;
  defaultThresholds?: Readonly<Record<string, ThresholdPair>>;
  /** The config's `checks.<name>` when it is not the options object plus timeout/retries (command checks: a list). */
  configSchema?: v.GenericSchema;
  /** The run's deadline when the config sets none; default min(poll_interval, 10 s). */
  defaultTimeoutSeconds?(options: v.InferOutput<S>): number;
  /** Rate-based checks need a previous sample: a one-shot run primes them, waits the sample window, runs again. */
  needsTwoSamples?: boolean;
  create(options: v.InferOutput<S>): Collect;
  /** Off Linux: the same metrics from systeminformation. A check without it reports UNKNOWN there. */
  portable?(options: v.InferOutput<S>, si: SystemInformation): Promise<Reading[]>;
  /** The human line for one reading, e.g. "/: 71.2% used, 12.1 GiB free". */
  summarize(reading: Reading): string;
}

export function defineCheck<S extends OptionsSchema>(check: Check<S>): Check<S> {
  return check; // exists only for type inference of create()'s options
}
