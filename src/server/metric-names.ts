import type { Check, MetricSpec } from '../checks/check.ts';
import type { ExportedFamily } from '../exporters/series.ts';

export const family = (name: string, type: ExportedFamily['type'], help: string): ExportedFamily => ({
  name,
  type,
  help,
});

export interface ValueFamily {
  family: ExportedFamily;
  /** Percentages become ratios (Prometheus' base unit); everything else passes as is. */
  divisor: number;
  /** The label a templated metric name carries: "core3_usage_percent" → core="3". */
  label?: { name: string; value: string };
}

export type Namer = (check: string, metric: string) => ValueFamily;

/**
 * `argus_<check>_<metric>` in base units: used_percent → argus_disk_used_ratio. A check's metric that already
 * starts with the check's name is not doubled (argus_temperature_celsius).
 */
export function createNamer(checks: Readonly<Record<string, Check>>): Namer {
  const cache = new Map<string, ValueFamily>();
  const templates = new Map<string, { pattern: RegExp; label: string; spec: MetricSpec }[]>();
  for (const [name, check] of Object.entries(checks)) {
    const list = check.metrics.flatMap((spec) => {
      const match = /^([a-z]+)<\w+>(.*)$/.exec(spec.name);
      return match?.[1] ? [{ pattern: new RegExp(`^${match[1]}(\\d+)${match[2] ?? ''}$`), label: match[1], spec }] : [];
    });
    templates.set(name, list);
  }
  return (check, metric) => {
    const key = `${check}\u0000${metric}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const spec = checks[check]?.metrics.find((candidate) => candidate.name === metric);
    let named: ValueFamily;
    const template = spec ? undefined : templates.get(check)?.find((entry) => entry.pattern.test(metric));
    if (template) {
      const value = template.pattern.exec(metric)?.[1] ?? '';
      const base = template.spec.name.replace(/<\w+>/, '');
      named = { ...valueFamily(check, base, template.spec), label: { name: template.label, value } };
    } else {
      named = valueFamily(check, metric, spec);
    }
    cache.set(key, named);
    return named;
  };
}

function valueFamily(check: string, metric: string, spec: MetricSpec | undefined): ValueFamily {
  const isPercent = spec ? spec.unit === 'percent' : false;
  let base = sanitizeName(isPercent ? metric.replace(/_percent$/, '_ratio') : metric);
  if (!base.startsWith(`${check}_`)) base = `${sanitizeName(check)}_${base}`;
  const help = spec ? `${spec.help}${isPercent ? ' (ratio 0-1)' : ''}.` : `Metric ${metric} of check ${check}.`;
  return { family: family(`argus_${base}`, 'gauge', help), divisor: isPercent ? 100 : 1 };
}

/** Metric names allow [a-zA-Z0-9_] (colons are reserved for recording rules); plugin perfdata labels can be anything. */
export const sanitizeName = (name: string): string => {
  const cleaned = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
};

const infoFamilies = new Map<string, ExportedFamily>();
/** argus_gpu_info{target="gpu0",vendor,name,uuid} 1: the facts that are not numbers, joinable on target. */
export function infoFamily(check: string): ExportedFamily {
  let known = infoFamilies.get(check);
  if (!known) {
    known = family(`argus_${sanitizeName(check)}_info`, 'gauge', `Facts about each ${check} target; always 1.`);
    infoFamilies.set(check, known);
  }
  return known;
}
