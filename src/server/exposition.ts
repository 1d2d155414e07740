import { nvidiaSmiSeries } from './nvidia-smi-series.ts';
import type { Check, Threshold } from '../checks/check.ts';
import { parseNagiosRange } from '../checks/nagios-range.ts';
import { thresholdsFor, type CheckThresholdConfig } from '../checks/thresholds.ts';
import type { ExportedFamily, ExportedSample } from '../exporters/series.ts';
import { NAGIOS_CODES, type Batch, type CheckResult } from '../result.ts';
import { createNamer, family, infoFamily, sanitizeName, type Namer } from './metric-names.ts';

/** What one cycle leaves for /metrics: rendered once per cycle, served from memory to every scrape. */
export interface ExpositionInput {
  batch: Batch;
  checks: Readonly<Record<string, Check>>;
  thresholds: Readonly<Record<string, CheckThresholdConfig | undefined>>;
  /** Argus' own health: build, reloads, cycle timing, process figures. */
  self: readonly ExportedSample[];
}

const STATUS = family('argus_check_status', 'gauge', 'Status of a check result: 0 OK, 1 WARN, 2 CRIT, 3 UNKNOWN.');
const THRESHOLD = family(
  'argus_check_threshold',
  'gauge',
  'Configured threshold of a metric (in that metric unit); bound="upper" alerts at or above, "lower" below.',
);
const DURATION = family('argus_check_duration_seconds', 'gauge', 'Seconds the last run of a check took.');
const SUCCESS = family('argus_check_success', 'gauge', 'Whether the last run of a check completed (1) or failed (0).');

interface FamilyLines {
  family: ExportedFamily;
  lines: string[];
  seen: Set<string>;
}

export interface Exposition {
  add(target: ExportedFamily, labels: Readonly<Record<string, string>> | undefined, value: number): void;
  render(): string;
}

/** Families in first-seen order; a series already present is not repeated (two mounts on one disk). */
export function createExposition(): Exposition {
  const families = new Map<string, FamilyLines>();
  return {
    add(target, labels, value) {
      let entry = families.get(target.name);
      if (!entry) {
        entry = { family: target, lines: [], seen: new Set() };
        families.set(target.name, entry);
      }
      const labelText = formatLabels(labels);
      if (entry.seen.has(labelText)) return;
      entry.seen.add(labelText);
      entry.lines.push(`${target.name}${labelText} ${formatValue(value)}\n`);
    },
    render() {
      let text = '';
      for (const { family: described, lines } of families.values()) {
        text += `# HELP ${described.name} ${escapeHelp(described.help)}\n# TYPE ${described.name} ${described.type}\n`;
        text += lines.join('');
      }
      return text;
    },
  };
}

/**
 * Argus' own series for one cycle, in Prometheus text format 0.0.4: judged values, statuses, thresholds, check runs
 * and self metrics. node_exporter's series are read at scrape time (node-series.ts) and served before these.
 */
export function renderExposition(input: ExpositionInput): string {
  const out = createExposition();
  const namer = createNamer(input.checks);
  for (const result of input.batch.results) addJudgedValues(out, result, namer);
  for (const result of input.batch.results)
    for (const sample of nvidiaSmiSeries(result)) out.add(sample.family, sample.labels, sample.value);
  for (const result of input.batch.results) {
    const labels = targetLabels(result);
    out.add(STATUS, labels, NAGIOS_CODES[result.status]);
    const check = input.checks[result.name];
    if (check && !result.failed) addThresholds(out, result, check, input.thresholds[result.name], namer);
  }
  for (const result of input.batch.results) {
    out.add(DURATION, { check: result.name }, result.durationMs / 1000);
    out.add(SUCCESS, { check: result.name }, result.failed ? 0 : 1);
  }
  for (const sample of input.self) out.add(sample.family, sample.labels, sample.value);
  return out.render();
}

const targetLabels = (result: CheckResult): Record<string, string> =>
  result.instance === undefined ? { check: result.name } : { check: result.name, target: result.instance };

function addJudgedValues(out: Exposition, result: CheckResult, namer: Namer): void {
  const target = result.instance === undefined ? undefined : { target: result.instance };
  if (result.labels && Object.keys(result.labels).length > 0) {
    const labels = Object.fromEntries(
      Object.entries(result.labels).map(([name, value]) => [sanitizeName(name), value]),
    );
    out.add(infoFamily(result.name), { ...target, ...labels }, 1);
  }
  for (const [metric, value] of Object.entries(result.metrics)) {
    const named = namer(result.name, metric);
    const labels = named.label ? { ...target, [named.label.name]: named.label.value } : target;
    out.add(named.family, labels, value / named.divisor);
  }
}

function addThresholds(
  out: Exposition,
  result: CheckResult,
  check: Check,
  config: CheckThresholdConfig | undefined,
  namer: Namer,
): void {
  const base = targetLabels(result);
  for (const [metric, pair] of thresholdsFor(check, config, result.instance)) {
    const named = namer(result.name, metric);
    for (const level of ['warn', 'crit'] as const) {
      const threshold = pair[level];
      if (threshold === undefined || threshold === null) continue;
      for (const { bound, value } of boundsOf(threshold)) {
        out.add(THRESHOLD, { ...base, metric: named.family.name, level, bound }, value / named.divisor);
      }
    }
  }
}

/** A number alerts at or above it; a Nagios range alerts outside [start, end]. "@" (inside) ranges have no bound. */
function boundsOf(threshold: Threshold): { bound: 'upper' | 'lower'; value: number }[] {
  if (typeof threshold === 'number') return [{ bound: 'upper', value: threshold }];
  const range = parseNagiosRange(threshold);
  if (range.inside) return [];
  const bounds: { bound: 'upper' | 'lower'; value: number }[] = [];
  if (Number.isFinite(range.start)) bounds.push({ bound: 'lower', value: range.start });
  if (Number.isFinite(range.end)) bounds.push({ bound: 'upper', value: range.end });
  return bounds;
}

function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  if (!labels) return '';
  let text = '';
  for (const [name, value] of Object.entries(labels)) {
    text += `${text === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  }
  return text === '' ? '' : `{${text}}`;
}

const escapeLabelValue = (value: string): string =>
  /[\\"\n]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : value;

const escapeHelp = (help: string): string => help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
