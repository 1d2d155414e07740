import { abortableSleep } from '../async/abortable-sleep.ts';
import type { Check, Collect, Reading } from '../checks/check.ts';
import { checks as builtInChecks } from '../checks/registry.ts';
import { createHost, type Host, type HostRoots } from '../collect/host.ts';
import type { Config } from '../config/schema.ts';
import { CheckUnavailableError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { Batch, CheckResult } from '../result.ts';
import { judgeReadings, unknownResult } from './judge.ts';
import { runCheck } from './run-check.ts';

export interface CycleDeps {
  /** The checks that config names may refer to: the built-ins, plus plugins. */
  checks?: Readonly<Record<string, Check>>;
  /** A host of its own (tests); by default the cycle reads the one `host.*` in the config names. */
  host?: Host;
  hostname: string;
  logger: Logger;
  monotonicMs: () => number;
  now: () => Date;
}

interface ActiveCheck {
  name: string;
  check: Check;
  /** The options it was created with; a reload that leaves them alone keeps the check's counters. */
  optionsKey: string;
  collect: Collect;
  failing: boolean;
  /** Instances that could not be measured (a hung mount), with why: each is logged when it starts and ends. */
  unmeasured: Map<string, string>;
}

export interface Cycle {
  /**
   * Gives rate-based checks their first sample, so the next collect() can report rates; false when none needed it.
   * With windowMs it also waits until that long after the samples began (not after the slowest one ended), so a
   * one-shot run waits the window once, and the first run's own time is not added to it.
   */
  prime(signal: AbortSignal, windowMs?: number): Promise<boolean>;
  run(signal: AbortSignal): Promise<Batch>;
  /** Applies a new config (and check set, with plugins); checks whose options did not change keep their state. */
  configure(config: Config, checks?: Readonly<Record<string, Check>>): void;
  /** The host the checks read (the config's host.* roots): /metrics' exporters read the same. */
  readonly host: Host;
  readonly config: Config;
}

const MAX_DEFAULT_TIMEOUT_SECONDS = 10;

/** Linux reads /proc and /sys itself; elsewhere a check uses its systeminformation fallback, if it has one. */
function collectFor(check: Check, name: string, options: unknown, host: Host): Collect {
  if (host.platform === 'linux') return check.create(options as never);
  const portable = check.portable?.bind(check);
  if (!portable) {
    return () => {
      throw new CheckUnavailableError(`the ${name} check is not available on ${host.platform}`);
    };
  }
  return async () => portable(options as never, await host.systemInformation());
}

const rootsOf = (config: Config): HostRoots => ({
  procRoot: config.host.procfs,
  sysRoot: config.host.sysfs,
  rootfs: config.host.rootfs,
});

export function createCycle(initial: Config, deps: CycleDeps): Cycle {
  const log = deps.logger.child('cycle');
  let config = initial;
  let active: ActiveCheck[] = [];
  // The host's roots come from the config (host.procfs, sysfs, rootfs) unless a test gives its own host.
  let host = deps.host ?? createHost(rootsOf(initial));
  let hostKey = JSON.stringify(initial.host);

  let checkSet: Readonly<Record<string, Check>> = deps.checks ?? builtInChecks;
  const configure = (next: Config, set: Readonly<Record<string, Check>> = checkSet): void => {
    checkSet = set;
    const nextHostKey = JSON.stringify(next.host);
    const newHost = !deps.host && nextHostKey !== hostKey;
    if (newHost) {
      host = createHost(rootsOf(next));
      hostKey = nextHostKey;
    }
    // Checks keep their state (rate baselines) across a reload, unless they now read another host.
    const previous = new Map(newHost ? [] : active.map((entry) => [entry.name, entry]));
    active = next.enabled_checks.flatMap((name) => {
      const check = checkSet[name];
      // validateConfig() only lets known names through; a name can vanish only with a plugin dropped on reload.
      if (!check) return [];
      const options = (next.checks as Record<string, unknown>)[name] ?? {};
      const optionsKey = JSON.stringify(options);
      const kept = previous.get(name);
      if (kept && kept.optionsKey === optionsKey && kept.check === check) return [kept];
      return [
        {
          name,
          check,
          optionsKey,
          collect: collectFor(check, name, options, host),
          failing: false,
          unmeasured: new Map<string, string>(),
        },
      ];
    });
    config = next;
  };

  const runOne = async (entry: ActiveCheck, signal: AbortSignal): Promise<CheckResult[]> => {
    const options = ((config.checks as Record<string, unknown>)[entry.name] ?? {}) as {
      timeout?: number;
      retries?: number;
    };
    const started = deps.monotonicMs();
    const outcome = await runCheck(entry.collect, {
      host,
      timeoutMs:
        (options.timeout ??
          entry.check.defaultTimeoutSeconds?.(options) ??
          Math.min(config.poll_interval, MAX_DEFAULT_TIMEOUT_SECONDS)) * 1000,
      retries: options.retries ?? 0,
      backoffMs: config.retry_backoff * 1000,
      signal,
      monotonicMs: deps.monotonicMs,
    });
    const context = {
      name: entry.name,
      check: entry.check,
      thresholds: (config.thresholds as Record<string, Record<string, unknown> | undefined>)[entry.name],
      host: deps.hostname,
      timestamp: deps.now().toISOString(),
      durationMs: Math.round((deps.monotonicMs() - started) * 1000) / 1000,
    };
    if (outcome.ok) {
      if (entry.failing) log.info(`check "${entry.name}" works again`);
      entry.failing = false;
      logUnmeasured(entry, outcome.readings);
      return judgeReadings(outcome.readings, context);
    }
    if (outcome.unavailable) log.debug(`check "${entry.name}" unavailable: ${outcome.reason}`);
    else if (!entry.failing && !signal.aborted) {
      log.warning(`check "${entry.name}" failed: ${outcome.reason}`, { attempts: outcome.attempts });
      log.debug(`check "${entry.name}" failure detail`, { stack: (outcome.error as Error | undefined)?.stack });
    }
    entry.failing = !outcome.unavailable;
    return [unknownResult(outcome.reason, context)];
  };

  /** One line when an instance cannot be measured, one when it can again: not one per cycle while it lasts. */
  const logUnmeasured = (entry: ActiveCheck, readings: readonly Reading[]): void => {
    for (let index = 0; index < readings.length; index += 1) {
      const reading = readings[index] as Reading;
      if (reading.unknown === undefined) continue;
      const instance = reading.instance ?? '';
      if (!entry.unmeasured.has(instance))
        log.warning(`check "${entry.name}" cannot measure "${instance}": ${reading.unknown}`);
      entry.unmeasured.set(instance, reading.unknown);
    }
    if (entry.unmeasured.size === 0) return;
    const now = new Map(readings.map((reading) => [reading.instance ?? '', reading]));
    for (const instance of entry.unmeasured.keys()) {
      const reading = now.get(instance);
      if (reading?.unknown !== undefined) continue;
      // Gone from the readings (unmounted) ends it quietly; measured again is worth a line.
      if (reading) log.info(`check "${entry.name}" measures "${instance}" again`);
      entry.unmeasured.delete(instance);
    }
  };

  configure(initial);
  return {
    async prime(signal, windowMs = 0) {
      const startedAt = deps.monotonicMs();
      const rateChecks = active.filter((entry) => entry.check.needsTwoSamples);
      await Promise.all(rateChecks.map((entry) => runOne(entry, signal)));
      const rest = startedAt + windowMs - deps.monotonicMs();
      if (rateChecks.length > 0 && rest > 0) await abortableSleep(rest, signal);
      return rateChecks.length > 0;
    },
    async run(signal) {
      const timestamp = deps.now().toISOString();
      const results = (await Promise.all(active.map((entry) => runOne(entry, signal)))).flat();
      return { timestamp, host: deps.hostname, results };
    },
    configure,
    get config() {
      return config;
    },
    get host() {
      return host;
    },
  };
}
