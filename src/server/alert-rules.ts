import type { Check, Threshold } from '../checks/check.ts';
import { parseNagiosRange } from '../checks/nagios-range.ts';
import type { CheckThresholdConfig } from '../checks/thresholds.ts';
import { resolveThresholds } from '../checks/thresholds.ts';
import type { Config } from '../config/schema.ts';
import { createNamer, type Namer } from './metric-names.ts';

export interface AlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RuleFile {
  groups: { name: string; rules: AlertingRule[] }[];
}

const SEVERITY = { warn: 'warning', crit: 'critical' } as const;

const pascal = (text: string): string =>
  text
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join('');

/** PromQL string literal: double quotes, backslash and quote escaped. */
const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** The number in the exported family's unit, written so PromQL reads it exactly (no 0.9500000000000001). */
const scaled = (value: number, divisor: number): string => String(value / divisor);

/**
 * The condition under which Argus itself alerts, as PromQL on the exported series: a number alerts at or above
 * it; a Nagios range alerts outside [start, end] (both ends inclusive), or inside it with "@".
 */
export function thresholdExpression(series: string, threshold: Threshold, divisor: number): string {
  if (typeof threshold === 'number') return `${series} >= ${scaled(threshold, divisor)}`;
  const range = parseNagiosRange(threshold);
  const start = Number.isFinite(range.start) ? scaled(range.start, divisor) : undefined;
  const end = Number.isFinite(range.end) ? scaled(range.end, divisor) : undefined;
  if (range.inside) {
    const parts = [start && `${series} >= ${start}`, end && `${series} <= ${end}`].filter(Boolean);
    return parts.length === 2 ? `(${parts[0]}) and (${parts[1]})` : (parts[0] ?? `${series} == ${series}`);
  }
  const parts = [start && `${series} < ${start}`, end && `${series} > ${end}`].filter(Boolean) as string[];
  return parts.length === 2 ? `(${parts[0]}) or (${parts[1]})` : (parts[0] ?? `${series} != ${series}`);
}

function formatDuration(seconds: number): string {
  if (seconds <= 0) return '0s';
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${Math.ceil(seconds)}s`;
}

interface RuleContext {
  check: string;
  spec: Check;
  namer: Namer;
  holdFor: string;
}

function rulesForCheck(context: RuleContext, thresholds: CheckThresholdConfig | undefined): AlertingRule[] {
  const { check, spec, namer } = context;
  const instances = Object.keys((thresholds?.instances as Record<string, unknown> | undefined) ?? {});
  const rules: AlertingRule[] = [];
  const add = (metric: string, level: 'warn' | 'crit', threshold: Threshold, target: string | undefined) => {
    const named = namer(check, metric);
    const matchers =
      target === undefined ? instances.map((name) => `target!=${quote(name)}`) : [`target=${quote(target)}`];
    const series = `${named.family.name}${matchers.length > 0 ? `{${matchers.join(',')}}` : ''}`;
    const where = target === undefined ? '' : ` for ${target}`;
    rules.push({
      // One name per check, metric and level; a per-instance override is the same alert with its own condition.
      alert: `Argus${pascal(check)}${pascal(metric)}${level === 'crit' ? 'Critical' : 'Warning'}`,
      expr: thresholdExpression(series, threshold, named.divisor),
      for: context.holdFor,
      // promtool rejects two rules with one name and one label set: an override's rule carries its target.
      labels: { severity: SEVERITY[level], check, metric, ...(target === undefined ? {} : { target }) },
      annotations: {
        summary: `${check} ${metric} ${level === 'crit' ? 'critical' : 'warning'} on {{ $labels.instance }}{{ with $labels.target }} ({{ . }}){{ end }}`,
        description: `${named.family.name} is {{ $value }}; the Argus threshold (${level}) is ${JSON.stringify(threshold)}${named.divisor === 100 ? ' percent, and the series is a 0-1 ratio' : ''}${where}`,
      },
    });
  };
  for (const target of [undefined, ...instances]) {
    for (const [metric, pair] of resolveThresholds(spec, thresholds, target)) {
      for (const level of ['warn', 'crit'] as const) {
        const threshold = pair[level];
        if (threshold !== undefined && threshold !== null) add(metric, level, threshold, target);
      }
    }
  }
  return rules;
}

/**
 * Prometheus alerting rules that say what this config's thresholds say, on the series the agent exports, so a
 * fleet can alert in Prometheus with the thresholds admins already wrote for Argus. Per-instance overrides get
 * their own rule and are excluded from the general one. `for` follows alerts.for and alerts.for_cycles.
 */
export function buildAlertRules(config: Config, checks: Readonly<Record<string, Check>>): RuleFile {
  const namer = createNamer(checks);
  const holdSeconds = Math.max(config.alerts.for, config.alerts.for_cycles * config.poll_interval);
  const holdFor = formatDuration(holdSeconds);
  const thresholds = config.thresholds as Record<string, CheckThresholdConfig | undefined>;
  const rules = config.enabled_checks.flatMap((check) => {
    const spec = checks[check];
    return spec ? rulesForCheck({ check, spec, namer, holdFor }, thresholds[check]) : [];
  });
  const stale = formatDuration(Math.max(3 * config.poll_interval, 60));
  const health: AlertingRule[] = [
    {
      alert: 'ArgusCheckUnknown',
      expr: 'argus_check_status == 3',
      for: formatDuration(Math.max(holdSeconds, 600)),
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Argus check {{ $labels.check }} is UNKNOWN on {{ $labels.instance }}',
        description: 'The check could not measure {{ $labels.target }}; see /api/v1/status on the agent for why.',
      },
    },
    {
      alert: 'ArgusConfigReloadFailed',
      expr: 'argus_config_last_reload_successful == 0',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Argus on {{ $labels.instance }} kept its old config: the last reload failed',
        description: 'Run `argus config check` on the host; the agent log lists every problem.',
      },
    },
    {
      alert: 'ArgusCollectionStalled',
      expr: `time() - argus_last_cycle_timestamp_seconds > ${Math.max(3 * config.poll_interval, 60)}`,
      for: stale,
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Argus on {{ $labels.instance }} has not completed a cycle for {{ $value | humanizeDuration }}',
        description: 'Its /healthz answers 503 too; the agent is stuck or overloaded.',
      },
    },
  ];
  return {
    groups: [
      { name: 'argus-thresholds', rules },
      { name: 'argus-health', rules: health },
    ],
  };
}
