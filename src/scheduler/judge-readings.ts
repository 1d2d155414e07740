import type { Check, Reading, Threshold } from '../checks/check.ts';
import { judge, resolveThresholds, type Breach, type CheckThresholdConfig } from '../checks/thresholds.ts';
import { parseNagiosRange } from '../checks/nagios-range.ts';
import type { CheckResult, DecidingBreach } from '../result.ts';

export interface ResultContext {
  name: string;
  check: Check;
  thresholds: CheckThresholdConfig | undefined;
  host: string;
  timestamp: string;
  durationMs: number;
}

const describeThreshold = (threshold: Threshold): string =>
  typeof threshold === 'number'
    ? `>= ${threshold}`
    : threshold.startsWith('@')
      ? `inside ${threshold.slice(1)}`
      : `outside ${threshold}`;

const round = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(2));

const describeBreaches = (breaches: Breach[]): string =>
  breaches
    .map(
      (breach) =>
        `${breach.level.toUpperCase()} ${breach.metric}=${round(breach.value)} (${describeThreshold(breach.threshold)})`,
    )
    .join(', ');

/** A number or a `10:`-style floor breached from below tells history which way "worse" points. */
function decidingBreach(breaches: Breach[]): DecidingBreach | undefined {
  const breach = breaches.find((candidate) => candidate.level === 'crit') ?? breaches[0];
  if (!breach) return undefined;
  let worse: DecidingBreach['worse'] = 'higher';
  if (typeof breach.threshold === 'string') {
    const range = parseNagiosRange(breach.threshold);
    if (!range.inside && breach.value < range.start) worse = 'lower';
  }
  return { metric: breach.metric, value: breach.value, level: breach.level, worse };
}

/** Turns what a check measured into results: one per instance, judged by the one threshold routine. */
export function judgeReadings(readings: Reading[], context: ResultContext): CheckResult[] {
  return readings.map((reading) => {
    const base = {
      name: context.name,
      ...(reading.instance === undefined ? {} : { instance: reading.instance }),
      metrics: reading.metrics,
      ...(reading.labels ? { labels: reading.labels } : {}),
      ...(reading.exported ? { exported: reading.exported } : {}),
      timestamp: context.timestamp,
      host: context.host,
      durationMs: context.durationMs,
    };
    if (reading.verdict) return { ...base, status: reading.verdict.status, details: reading.verdict.details };
    if (reading.unknown !== undefined) {
      return {
        ...base,
        status: 'UNKNOWN',
        details: `${reading.instance ? `${reading.instance}: ` : ''}${reading.unknown}`,
      };
    }
    const verdict = judge(reading.metrics, resolveThresholds(context.check, context.thresholds, reading.instance));
    const summary = context.check.summarize(reading);
    const breach = decidingBreach(verdict.breaches);
    return {
      ...base,
      status: verdict.status,
      details: breach ? `${summary} [${describeBreaches(verdict.breaches)}]` : summary,
      ...(breach ? { breach } : {}),
    };
  });
}

export function unknownResult(reason: string, context: Omit<ResultContext, 'check' | 'thresholds'>): CheckResult {
  return {
    name: context.name,
    status: 'UNKNOWN',
    failed: true,
    metrics: {},
    details: reason,
    timestamp: context.timestamp,
    host: context.host,
    durationMs: context.durationMs,
  };
}
