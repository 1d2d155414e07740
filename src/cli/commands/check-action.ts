import * as v from 'valibot';
import type { Check } from '../../checks/check.ts';
import { selectorSchema } from '../../checks/procs.ts';
import { parseNagiosRange } from '../../checks/nagios-range.ts';
import { resolveThresholds } from '../../checks/thresholds.ts';
import { didYouMeanHint } from '../../config/did-you-mean.ts';
import { parseDuration } from '../../schema/duration.ts';
import { ConfigError, UserError } from '../../errors.ts';
import type { CheckResult } from '../../result.ts';
import { VERSION } from '../../version.ts';
import type { Io } from '../io.ts';
import { NAGIOS_CODES } from '../../result.ts';
import { renderPluginOutput } from '../nagios-output.ts';
import { createRuntime } from '../../engine/runtime.ts';

export interface NagiosCheckOptions {
  warning?: string;
  critical?: string;
  metric?: string;
  instance?: string;
  timeout: string;
  config?: string;
  /** check_procs' selectors, for the procs check only. */
  command?: string;
  user?: string;
  state?: string;
  argumentArray?: string;
  version?: boolean;
}

const UNKNOWN_EXIT = 3;

/**
 * `argus check procs -C nginx -c 1:`: the selector flags become one `procs` instance, named after the command
 * (or "selected"), validated as the config would validate it.
 */
function procsSelector(name: string, options: NagiosCheckOptions): { instance: string; selector: object } | undefined {
  const selector = {
    name: options.command,
    user: options.user,
    state: options.state,
    argv: options.argumentArray,
  };
  const given = Object.entries(selector).filter(([, value]) => value !== undefined);
  if (given.length === 0) return undefined;
  if (name !== 'procs') throw new UserError(`-C, -u, -s and -a select processes: they apply to the procs check only`);
  const parsed = v.safeParse(selectorSchema, Object.fromEntries(given));
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new UserError(`${v.getDotPath(issue) ?? 'selector'} ${issue.message}`);
  }
  return { instance: options.command ?? 'selected', selector: parsed.output };
}

function validRange(flag: string, range: string | undefined): string | undefined {
  if (range === undefined) return undefined;
  try {
    parseNagiosRange(range);
    return range;
  } catch (error) {
    throw new UserError(`${flag} ${(error as Error).message}`);
  }
}

function checkOf(name: string, known: Readonly<Record<string, Check>>): Check {
  const check = known[name];
  if (check) return check;
  const names = Object.keys(known);
  throw new UserError(`unknown check "${name}"${didYouMeanHint(name, names)} (known: ${names.join(', ')})`);
}

/** Whether a metric (a templated one too: core3_usage_percent is core<N>_usage_percent) is measured as a rate. */
function isRate(check: Check, metric: string): boolean {
  return check.metrics.some(
    (spec) => spec.rate === true && new RegExp(`^${spec.name.replace('<N>', '\\d+')}$`).test(metric),
  );
}

/**
 * A Nagios server runs `argus check` thousands of times an hour: the run samples twice, `sample_window` apart,
 * only when the metric it judges or another it has thresholds for is a rate. `check disk -w 80 -c 90` then reads
 * once (its perfdata leaves out the I/O rates it did not wait for).
 */
function needsRates(check: Check, metric: string, thresholds: Record<string, unknown> | undefined): boolean {
  if (isRate(check, metric)) return true;
  return Object.entries(thresholds ?? {}).some(
    ([name, levels]) =>
      isRate(check, name) &&
      typeof levels === 'object' &&
      levels !== null &&
      Object.values(levels).some((level) => level !== null && level !== undefined),
  );
}

const withTimeout = <T>(work: Promise<T>, seconds: number): Promise<T> =>
  Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new UserError(`timeout after ${seconds}s`)), seconds * 1000).unref(),
    ),
  ]);

/** Runs one check the way a monitoring plugin does and returns the plugin exit code; every failure is UNKNOWN. */
/** A declared metric name as a pattern: `core<N>_usage_percent` matches core0_usage_percent, core12_… */
const metricPattern = (name: string): RegExp =>
  new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('<N>', '\\d+')}$`);

export async function runNagiosCheck(io: Io, name: string, options: NagiosCheckOptions): Promise<number> {
  if (options.version) {
    io.stdout(`argus check ${VERSION}\n`);
    return UNKNOWN_EXIT;
  }
  try {
    const warn = validRange('-w', options.warning);
    const crit = validRange('-c', options.critical);
    // Plain numbers alert at or above: a warning level past the critical one can never show.
    const plain = (value: unknown): number | undefined =>
      typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value))
        ? Number(value)
        : undefined;
    const [warnAt, critAt] = [plain(warn), plain(crit)];
    if (warnAt !== undefined && critAt !== undefined && warnAt > critAt)
      io.stderr(
        `argus: -w ${warnAt} is past -c ${critAt}: CRITICAL comes first, so WARNING never shows (meant -w ${critAt} -c ${warnAt}?)\n`,
      );
    const selected = procsSelector(name, options);
    const timeout = parseDuration(options.timeout);
    if (timeout === undefined || timeout <= 0)
      throw new UserError(`-t needs a number of seconds (got "${options.timeout}")`);
    let check: Check | undefined;
    let metric = '';
    let thresholds: Record<string, unknown> | undefined;
    // Applied after the config (and its plugins) load: runs only this check, with -w/-c on its metric.
    const runtime = await createRuntime(
      io,
      options.config,
      {},
      (config, known) => {
        check = checkOf(name, known);
        metric = options.metric ?? check.mainMetric;
        const spec = check.metrics.find((candidate) => candidate.name === metric);
        if (!spec)
          throw new UserError(
            `check "${name}" has no metric "${metric}" (known: ${check.metrics.map((candidate) => candidate.name).join(', ')})`,
          );
        const base = (config.thresholds as Record<string, Record<string, unknown> | undefined>)[name];
        // -w/-c replace the metric's thresholds outright: a level not given is removed, as a plugin would have it.
        thresholds =
          warn === undefined && crit === undefined
            ? base
            : { ...base, [metric]: { warn: warn ?? null, crit: crit ?? null } };
        const checkOptions = selected
          ? { ...config.checks, procs: { ...config.checks.procs, match: { [selected.instance]: selected.selector } } }
          : config.checks;
        return {
          ...config,
          checks: checkOptions,
          enabled_checks: [name],
          thresholds: { ...config.thresholds, [name]: thresholds },
        };
      },
      // A Nagios server runs this thousands of times an hour: no audit line per run unless audit_log asks.
      { auditByDefault: false },
    );
    try {
      const loaded = runtime.loaded.config;
      const signal = new AbortController().signal;
      const results = await withTimeout(
        (async () => {
          if (check && needsRates(check, metric, thresholds))
            await runtime.cycle.prime(signal, loaded.sample_window * 1000);
          return (await runtime.cycle.run(signal)).results;
        })(),
        timeout,
      );
      const chosen =
        options.instance === undefined ? results : results.filter((result) => result.instance === options.instance);
      if (options.instance !== undefined && chosen.length === 0) {
        const known = results.map((result) => result.instance).filter((instance) => instance !== undefined);
        throw new UserError(
          `no instance "${options.instance}" in check "${name}"${known.length > 0 ? ` (found: ${known.join(', ')})` : ''}`,
        );
      }
      const { text, status } = renderPluginOutput(name, chosen, {
        mainMetric: metric,
        unitOf: (metricName) => check?.metrics.find((spec) => metricPattern(spec.name).test(metricName))?.unit,
        thresholdsOf: (result: CheckResult) =>
          check ? resolveThresholds(check, thresholds, result.instance) : new Map(),
      });
      io.stdout(text);
      return NAGIOS_CODES[status];
    } finally {
      runtime.close();
    }
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const details = error instanceof ConfigError ? error.issues.map((issue) => `\n${issue}`).join('') : '';
    io.stdout(`ARGUS UNKNOWN - ${error.message}${details}\n`);
    return UNKNOWN_EXIT;
  }
}
