import type { Check } from '../../checks/check.ts';
import { parseNagiosRange } from '../../checks/nagios-range.ts';
import { checkNames, checks, isCheckName } from '../../checks/registry.ts';
import { resolveThresholds } from '../../checks/thresholds.ts';
import { didYouMean } from '../../config/did-you-mean.ts';
import { parseDuration } from '../../duration.ts';
import { ConfigError, UserError } from '../../errors.ts';
import type { CheckResult } from '../../result.ts';
import { VERSION } from '../../version.ts';
import type { Io } from '../io.ts';
import { PLUGIN_EXIT, renderPluginOutput } from '../nagios-output.ts';
import { createRuntime } from '../runtime.ts';

export interface NagiosCheckOptions {
  warning?: string;
  critical?: string;
  metric?: string;
  instance?: string;
  timeout: string;
  config?: string;
  version?: boolean;
}

const UNKNOWN_EXIT = 3;

function validRange(flag: string, range: string | undefined): string | undefined {
  if (range === undefined) return undefined;
  try {
    parseNagiosRange(range);
    return range;
  } catch (error) {
    throw new UserError(`${flag} ${(error as Error).message}`);
  }
}

function checkOf(name: string): Check {
  if (isCheckName(name)) return checks[name];
  const guess = didYouMean(name, checkNames);
  throw new UserError(
    `unknown check "${name}"${guess ? `; did you mean "${guess}"?` : ''} (known: ${checkNames.join(', ')})`,
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
export async function runNagiosCheck(io: Io, name: string, options: NagiosCheckOptions): Promise<number> {
  if (options.version) {
    io.stdout(`argus check ${VERSION}\n`);
    return UNKNOWN_EXIT;
  }
  try {
    const check = checkOf(name);
    const metric = options.metric ?? check.mainMetric;
    if (!check.metrics.some((spec) => spec.name === metric)) {
      throw new UserError(
        `check "${name}" has no metric "${metric}" (known: ${check.metrics.map((spec) => spec.name).join(', ')})`,
      );
    }
    const warn = validRange('-w', options.warning);
    const crit = validRange('-c', options.critical);
    const timeout = parseDuration(options.timeout);
    if (timeout === undefined || timeout <= 0)
      throw new UserError(`-t needs a number of seconds (got "${options.timeout}")`);
    const runtime = await createRuntime(io, options.config, {
      enabled_checks: { value: [name], flag: 'argument <name>' },
    });
    try {
      const loaded = runtime.loaded.config;
      const base = loaded.thresholds[name as keyof typeof loaded.thresholds] as Record<string, unknown> | undefined;
      // -w/-c replace the metric's thresholds outright: a level not given is removed, as a plugin would have it.
      const thresholds =
        warn === undefined && crit === undefined
          ? base
          : { ...base, [metric]: { warn: warn ?? null, crit: crit ?? null } };
      const config = { ...loaded, thresholds: { ...loaded.thresholds, [name]: thresholds } };
      runtime.collector.configure(config);
      const signal = new AbortController().signal;
      const results = await withTimeout(
        (async () => {
          if (await runtime.collector.prime(signal))
            await new Promise((resolve) => setTimeout(resolve, loaded.sample_window * 1000));
          return (await runtime.collector.collect(signal)).results;
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
        unitOf: (metricName) => check.metrics.find((spec) => spec.name === metricName)?.unit,
        thresholdsOf: (result: CheckResult) => resolveThresholds(check, thresholds, result.instance),
      });
      io.stdout(text);
      return PLUGIN_EXIT[status];
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
