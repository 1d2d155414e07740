import type { Check, Reading, Threshold } from '../checks/check.ts';
import { judge, thresholdsFor, type Breach, type CheckThresholdConfig } from '../checks/thresholds.ts';
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
    // Built field by field rather than spread from a base object: this runs for every result of every cycle, and
    // the fields keep the order the JSON output has always had.
    const result = { name: context.name } as CheckResult;
    if (reading.instance !== undefined) result.instance = reading.instance;
    result.metrics = reading.metrics;
    if (reading.labels) result.labels = reading.labels;
    result.timestamp = context.timestamp;
    result.host = context.host;
    result.durationMs = context.durationMs;
    if (reading.verdict) {
      result.status = reading.verdict.status;
      result.details = reading.verdict.details;
      return result;
    }
    if (reading.unknown !== undefined) {
      result.status = 'UNKNOWN';
      result.details = `${reading.instance ? `${reading.instance}: ` : ''}${reading.unknown}`;
      return result;
    }
    const verdict = judge(reading.metrics, thresholdsFor(context.check, context.thresholds, reading.instance));
    const summary = context.check.summarize(reading);
    const breach = decidingBreach(verdict.breaches);
    result.status = verdict.status;
    result.details = breach ? `${summary} [${describeBreaches(verdict.breaches)}]` : summary;
    if (breach) result.breach = breach;
    return result;
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
