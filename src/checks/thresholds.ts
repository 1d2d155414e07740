import type { Status } from '../result.ts';
import type { Check, Threshold, ThresholdPair } from './check.ts';
import { parseNagiosRange, rangeAlerts } from './nagios-range.ts';

/** What users write under `thresholds.<check>`: the short form, per-metric pairs, and per-instance overrides. */
export type CheckThresholdConfig = Readonly<Record<string, unknown>>;

export interface Breach {
  metric: string;
  value: number;
  level: 'warn' | 'crit';
  threshold: Threshold;
}

export interface Verdict {
  status: Status;
  breaches: Breach[];
}

/** A number alerts at or above it; a string is a Nagios range. */
export function thresholdAlerts(threshold: Threshold, value: number): boolean {
  return typeof threshold === 'number' ? value >= threshold : rangeAlerts(parseNagiosRange(threshold), value);
}

const isPair = (value: unknown): value is ThresholdPair => typeof value === 'object' && value !== null;

function applyLayer(
  rules: Map<string, ThresholdPair>,
  layer: CheckThresholdConfig | undefined,
  mainMetric: string,
): void {
  if (!layer) return;
  // A level set to null removes what an earlier layer set (`crit: null`: this mount gets no critical threshold).
  const merge = (metric: string, pair: { warn?: Threshold | null; crit?: Threshold | null }): void => {
    const merged = { ...rules.get(metric) };
    if (pair.warn === null) delete merged.warn;
    else if (pair.warn !== undefined) merged.warn = pair.warn;
    if (pair.crit === null) delete merged.crit;
    else if (pair.crit !== undefined) merged.crit = pair.crit;
    rules.set(metric, merged);
  };
  if (layer.warn !== undefined || layer.crit !== undefined) merge(mainMetric, layer);
  for (const [key, value] of Object.entries(layer)) {
    if (key === 'warn' || key === 'crit' || key === 'instances' || !isPair(value)) continue;
    merge(key, value);
  }
}

/**
 * The thresholds in force for one instance: the check's defaults, overridden by the config's check-wide values,
 * overridden in turn by that instance's own. Each level (warn, crit) is overridden on its own, so `/boot: { crit: 99 }`
 * keeps the inherited warn.
 */
export function resolveThresholds(
  check: Check,
  config: CheckThresholdConfig | undefined,
  instance?: string,
): Map<string, ThresholdPair> {
  const rules = new Map<string, ThresholdPair>(Object.entries(check.defaultThresholds ?? {}));
  applyLayer(rules, config, check.mainMetric);
  const instances = config?.instances as Record<string, Record<string, unknown>> | undefined;
  if (instance !== undefined) applyLayer(rules, instances?.[instance], check.mainMetric);
  return rules;
}

type Rules = ReadonlyMap<string, ThresholdPair>;

const NO_CONFIG = {};
const MAX_INSTANCES_REMEMBERED = 1_000;
const resolved = new WeakMap<Check, WeakMap<object, Map<string | undefined, Rules>>>();

/**
 * resolveThresholds(), remembered: every result of every cycle needs its rules, and they change only with the
 * config. Keyed by the check and the config object itself, so a reload (a new object) resolves afresh; the
 * instances of one pair are capped, so interface churn cannot grow it without bound. Callers must not change
 * the map they get.
 */
export function thresholdsFor(check: Check, config: CheckThresholdConfig | undefined, instance?: string): Rules {
  let byConfig = resolved.get(check);
  if (!byConfig) {
    byConfig = new WeakMap();
    resolved.set(check, byConfig);
  }
  let byInstance = byConfig.get(config ?? NO_CONFIG);
  if (!byInstance) {
    byInstance = new Map<string | undefined, Rules>();
    byConfig.set(config ?? NO_CONFIG, byInstance);
  }
  let rules = byInstance.get(instance);
  if (!rules) {
    if (byInstance.size >= MAX_INSTANCES_REMEMBERED) byInstance.clear();
    rules = resolveThresholds(check, config, instance);
    byInstance.set(instance, rules);
  }
  return rules;
}

/** Critical is tested first, then warning (Monitoring Plugins get_status()); the worst metric decides. */
export function judge(metrics: Readonly<Record<string, number>>, rules: Rules): Verdict {
  const breaches: Breach[] = [];
  // forEach rather than for…of: without the optimizing compiler (the status loop), each step of a Map
  // iterator allocates an entry and a result object.
  rules.forEach((pair, metric) => {
    const value = metrics[metric];
    if (value === undefined) return;
    if (pair.crit !== undefined && thresholdAlerts(pair.crit, value))
      breaches.push({ metric, value, level: 'crit', threshold: pair.crit });
    else if (pair.warn !== undefined && thresholdAlerts(pair.warn, value))
      breaches.push({ metric, value, level: 'warn', threshold: pair.warn });
  });
  const status: Status = breaches.some((breach) => breach.level === 'crit')
    ? 'CRIT'
    : breaches.length > 0
      ? 'WARN'
      : 'OK';
  return { status, breaches };
}
