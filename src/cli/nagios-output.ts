import type { MetricSpec, Threshold, ThresholdPair } from '../checks/check.ts';
import { worstStatus, type CheckResult, type Status } from '../result.ts';

export const PLUGIN_STATE: Record<Status, string> = { OK: 'OK', WARN: 'WARNING', CRIT: 'CRITICAL', UNKNOWN: 'UNKNOWN' };

export interface PerfdataContext {
  mainMetric: string;
  unitOf(metric: string): MetricSpec['unit'] | undefined;
  thresholdsOf(result: CheckResult): ReadonlyMap<string, ThresholdPair>;
}

// Units the plugin guidelines know; the others (celsius, watts, rates) go without a UOM.
const UOM: Partial<Record<MetricSpec['unit'], string>> = { percent: '%', bytes: 'B', count: '' };

/** Perfdata values match [-0-9.]: no exponent, at most 6 decimals, trailing zeros trimmed. */
export function perfNumber(value: number): string {
  if (!Number.isFinite(value)) return 'U';
  if (Number.isInteger(value)) return BigInt(Math.round(value)).toString();
  return value.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

/** Labels are always single-quoted (Monitoring Plugins v3), `'` doubled; `=` cannot appear in a label. */
export const perfLabel = (label: string): string => `'${label.replace(/=/g, '_').replace(/'/g, "''")}'`;

const perfThreshold = (threshold: Threshold | undefined): string =>
  threshold === undefined ? '' : typeof threshold === 'number' ? perfNumber(threshold) : threshold;

function perfdataOf(result: CheckResult, context: PerfdataContext): string[] {
  const thresholds = context.thresholdsOf(result);
  const metrics = Object.entries(result.metrics).sort(([a], [b]) =>
    a === context.mainMetric ? -1 : b === context.mainMetric ? 1 : 0,
  );
  return metrics.map(([metric, value]) => {
    const label =
      metric === context.mainMetric
        ? (result.instance ?? metric)
        : result.instance === undefined
          ? metric
          : `${result.instance} ${metric}`;
    const unit = context.unitOf(metric);
    const pair = thresholds.get(metric);
    const range = unit === 'percent' ? ';0;100' : ';;';
    return `${perfLabel(label)}=${perfNumber(value)}${unit ? (UOM[unit] ?? '') : ''};${perfThreshold(pair?.warn)};${perfThreshold(pair?.crit)}${range}`.replace(
      /;+$/,
      '',
    );
  });
}

/**
 * The plugin output of the Monitoring Plugins guidelines: `NAME STATE - text | perfdata` on the first line (what
 * Nagios shows), then one long-output line per result. The first line names only what is not OK, to stay short.
 */
export function renderPluginOutput(
  name: string,
  results: readonly CheckResult[],
  context: PerfdataContext,
): { text: string; status: Status } {
  const status = results.length === 0 ? 'UNKNOWN' : worstStatus(results.map((result) => result.status));
  const notOk = results.filter((result) => result.status !== 'OK');
  const summary =
    results.length === 0
      ? 'no results'
      : notOk.length > 0
        ? notOk.map((result) => result.details).join('; ')
        : results.length === 1
          ? (results[0]?.details ?? '')
          : `${results.length} instances OK`;
  const perfdata = results.flatMap((result) => perfdataOf(result, context)).join(' ');
  const firstLine = `${name.toUpperCase()} ${PLUGIN_STATE[status]} - ${summary.replace(/\|/g, '/')}${perfdata ? ` | ${perfdata}` : ''}`;
  const longOutput =
    results.length > 1
      ? results.map((result) => `[${PLUGIN_STATE[result.status]}] ${result.details.replace(/\|/g, '/')}`)
      : [];
  return { text: `${[firstLine, ...longOutput].join('\n')}\n`, status };
}
