import { didYouMeanHint } from '../../config/did-you-mean.ts';
import { parseDuration } from '../../duration.ts';
import { UsageError } from '../../errors.ts';
import { hostname } from 'node:os';
import { createAlerting } from '../../alerts/alerting.ts';
import { defaultStateDir } from '../../log/audit.ts';
import { historyPath } from '../../store/history-path.ts';
import type { HistoryRecorder } from '../../store/history-recorder.ts';
import { runSchedule } from '../../scheduler/schedule.ts';
import { createSinkWriter } from '../../scheduler/sink-writer.ts';
import { createJsonSink } from '../../sinks/json.ts';
import type { Sink } from '../../sinks/sink.ts';
import { wantsColor, type Io } from '../io.ts';
import { createRuntime, type LoadFlags } from '../runtime.ts';
import { monotonicMs } from '../../monotonic.ts';

export interface StatusOptions {
  config?: string;
  interval?: string;
  output?: 'table' | 'json';
  once?: boolean;
  checks?: string;
  logLevel?: string;
  /** --history / --no-history; unset: the loop records (storage.sqlite.enabled), --once does not. */
  history?: boolean;
}

/** --checks names, validated against the checks the config can run (built-ins and plugins). */
export function parseChecksFlag(text: string, known: readonly string[]): string[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0)
    throw new UsageError('Option --checks needs at least one check name', {
      hint: `known checks: ${known.join(', ')}`,
    });
  for (const name of names) {
    if (!known.includes(name)) {
      throw new UsageError(`Unknown check "${name}" in --checks${didYouMeanHint(name, known)}`, {
        hint: `known checks: ${known.join(', ')}`,
      });
    }
  }
  return names;
}

function statusFlags(options: StatusOptions): LoadFlags {
  const flags: LoadFlags = {};
  if (options.interval !== undefined) {
    const seconds = parseDuration(options.interval);
    if (seconds === undefined)
      throw new UsageError(`Option --interval needs seconds or a duration such as "5s" (got "${options.interval}")`);
    flags.poll_interval = { value: seconds, flag: '--interval' };
  }
  if (options.output !== undefined) flags.output_format = { value: options.output, flag: '--output' };
  if (options.logLevel !== undefined) flags.log_level = { value: options.logLevel, flag: '--log-level' };
  return flags;
}

async function createOutputSink(format: 'table' | 'json', io: Io): Promise<Sink> {
  if (format === 'json') return createJsonSink({ stdout: (text) => io.stdout(text) });
  // cli-table3 and its colour helpers are the largest part of the bundle; JSON runs never load them.
  const { createTableSink } = await import('../../sinks/table.ts');
  return createTableSink({
    stdout: (text) => io.stdout(text),
    isTTY: io.stdoutIsTTY,
    color: wantsColor(io),
    columns: io.columns,
  });
}

/** SQLite loads only when history is recorded: a one-shot run stays as light as it was. */
async function startHistory(
  options: StatusOptions,
  runtime: Awaited<ReturnType<typeof createRuntime>>,
  io: Io,
): Promise<HistoryRecorder | undefined> {
  const config = runtime.loaded.config;
  const wanted = options.history ?? (!options.once && config.storage.sqlite.enabled);
  if (!wanted) return undefined;
  const { startHistoryRecorder } = await import('../../store/history-recorder.ts');
  return startHistoryRecorder({
    path: historyPath(config, io.env),
    retentionSeconds: config.storage.sqlite.retention,
    intervalMs: () => runtime.collector.config.poll_interval * 1000,
    logger: runtime.logs.logger,
    audit: (event) => runtime.audit(event),
  });
}

const wait = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export async function runStatus(io: Io, options: StatusOptions): Promise<void> {
  const flags = statusFlags(options);
  // --checks is applied after every load: plugin checks are only known once the config has loaded them.
  const runtime = await createRuntime(io, options.config, flags, (config, known) =>
    options.checks === undefined
      ? config
      : { ...config, enabled_checks: parseChecksFlag(options.checks, Object.keys(known)) },
  );
  const log = runtime.logs.logger.child('status');
  const config = runtime.loaded.config;
  const sink = await createOutputSink(config.output_format, io);
  const sinkWriter = createSinkWriter(config.sinks, runtime.logs.logger);
  let history = await startHistory(options, runtime, io);
  let storageKey = JSON.stringify(config.storage);
  // Alert state only means something across cycles: the loop tracks it, a one-shot run does not.
  const alerting = options.once
    ? undefined
    : createAlerting({
        settings: config.alerts,
        stateDir: defaultStateDir(io.env),
        host: hostname(),
        logger: runtime.logs.logger,
        audit: (event) => runtime.audit(event),
      });
  const controller = new AbortController();
  const { signal } = controller;
  let reloading: Promise<unknown> | undefined;
  let reloadAgain = false;
  const requestReload = (): void => {
    // SIGHUPs that arrive during a reload coalesce into one more reload, so the latest file wins.
    if (reloading) {
      reloadAgain = true;
      return;
    }
    reloading = runtime
      .reload()
      .then(async (ok) => {
        if (!ok) return;
        alerting?.configure(runtime.loaded.config.alerts);
        await sinkWriter.configure(runtime.loaded.config.sinks);
        // A new path, retention or on/off takes a new history thread; unchanged settings keep the running one.
        const nextKey = JSON.stringify(runtime.loaded.config.storage);
        if (nextKey !== storageKey) {
          storageKey = nextKey;
          const previous = history;
          history = undefined;
          await previous?.close();
          history = await startHistory(options, runtime, io);
        }
      })
      .finally(() => {
        reloading = undefined;
        if (reloadAgain) {
          reloadAgain = false;
          requestReload();
        }
      });
  };
  const stop = (): void => {
    if (!signal.aborted) log.info('stopping');
    controller.abort();
  };
  const unsubscribe = [io.onSignal('SIGINT', stop), io.onSignal('SIGTERM', stop)];
  if (!options.once) unsubscribe.push(io.onSignal('SIGHUP', requestReload));
  try {
    if (await runtime.collector.prime(signal)) await wait(config.sample_window * 1000, signal);
    if (options.once) {
      const batch = await runtime.collector.collect(signal);
      await sink.write(batch);
      sinkWriter.write(batch);
      history?.record(batch);
      return;
    }
    log.info('status loop started', {
      interval_seconds: config.poll_interval,
      checks: config.enabled_checks.join(','),
    });
    await runSchedule({
      intervalMs: () => runtime.collector.config.poll_interval * 1000,
      runCycle: async () => {
        const batch = await runtime.collector.collect(signal);
        if (signal.aborted) return;
        history?.record(batch);
        await sink.write(batch);
        sinkWriter.write(batch);
        alerting?.observe(batch);
      },
      signal,
      monotonicMs,
      logger: runtime.logs.logger,
    });
  } finally {
    for (const off of unsubscribe) off();
    await reloading;
    await sink.close?.();
    await sinkWriter.close();
    await history?.close();
    alerting?.close();
    runtime.close();
  }
}
