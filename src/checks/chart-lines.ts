import type { Threshold, Unit } from './check.ts';
import { parseNagiosRange } from './nagios-range.ts';
import { checks } from './registry.ts';
import { thresholdsFor, type CheckThresholdConfig } from './thresholds.ts';

/** What a chart of one metric draws besides its data: the unit on its axis and its threshold lines. */
export interface MetricLines {
  unit?: Unit;
  warn?: number[];
  crit?: number[];
}

/**
 * The values where a threshold starts to alert: a number is one line; a Nagios range is its finite bounds (`10:`
 * alerts below 10, `@10:20` inside it), the implied start 0 of `"10"` left out.
 */
export function thresholdLines(threshold: Threshold | undefined): number[] {
  if (threshold === undefined) return [];
  if (typeof threshold === 'number') return [threshold];
  try {
    const range = parseNagiosRange(threshold);
    const lines: number[] = [];
    if (threshold.includes(':') && Number.isFinite(range.start)) lines.push(range.start);
    if (Number.isFinite(range.end)) lines.push(range.end);
    return lines;
  } catch {
    return []; // the config schema refuses a bad range; a history older than the config may still name one
  }
}

const definitionOf = (check: string) =>
  Object.hasOwn(checks, check) ? checks[check as keyof typeof checks] : undefined;

/** The metric a check is judged and summarized by (cpu: usage_percent), for the overview's sparklines. */
export const mainMetricOf = (check: string): string | undefined => definitionOf(check)?.mainMetric;

/** The main metric of every built-in check. */
export const mainMetrics = (): Record<string, string> =>
  Object.fromEntries(Object.entries(checks).map(([name, check]) => [name, check.mainMetric]));

/**
 * The unit and the thresholds in force now for a stored series: what the config says today, which a chart of the
 * past states as such. A check or metric Argus no longer knows (a plugin's perfdata) gets neither.
 */
export function metricLines(
  check: string,
  instance: string,
  metric: string,
  thresholds: Readonly<Record<string, CheckThresholdConfig | undefined>>,
): MetricLines {
  const definition = definitionOf(check);
  if (!definition) return {};
  const lines: MetricLines = {};
  const unit = definition.metrics.find((spec) => spec.name === metric)?.unit;
  if (unit) lines.unit = unit;
  const pair = thresholdsFor(definition, thresholds[check], instance === '' ? undefined : instance).get(metric);
  const warn = thresholdLines(pair?.warn);
  const crit = thresholdLines(pair?.crit);
  if (warn.length > 0) lines.warn = warn;
  if (crit.length > 0) lines.crit = crit;
  return lines;
}
