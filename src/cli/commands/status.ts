import { Option } from 'commander';
import { isCheckName, checkNames } from '../../checks/registry.ts';
import { didYouMean } from '../../config/did-you-mean.ts';
import { parseDuration } from '../../duration.ts';
import { UsageError } from '../../errors.ts';
import { runSchedule } from '../../scheduler/schedule.ts';
import { createJsonSink } from '../../sinks/json.ts';
import type { Sink } from '../../sinks/sink.ts';
import { createTableSink } from '../../sinks/table.ts';
import { examples, type RegisterCommand } from '../command-context.ts';
import { wantsColor, type Io } from '../io.ts';
import { createRuntime, type LoadFlags } from '../runtime.ts';

interface StatusOptions {
  config?: string;
  interval?: string;
  output?: 'table' | 'json';
  once?: boolean;
  checks?: string;
  logLevel?: string;
}

export function parseChecksFlag(text: string): string[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0)
    throw new UsageError('Option --checks needs at least one check name', {
      hint: `known checks: ${checkNames.join(', ')}`,
    });
  for (const name of names) {
    if (!isCheckName(name)) {
      const guess = didYouMean(name, checkNames);
      throw new UsageError(`Unknown check "${name}" in --checks${guess ? `; did you mean "${guess}"?` : ''}`, {
        hint: `known checks: ${checkNames.join(', ')}`,
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
  if (options.checks !== undefined) flags.enabled_checks = { value: parseChecksFlag(options.checks), flag: '--checks' };
  if (options.logLevel !== undefined) flags.log_level = { value: options.logLevel, flag: '--log-level' };
  return flags;
}

const createOutputSink = (format: 'table' | 'json', io: Io): Sink =>
  format === 'json'
    ? createJsonSink({ stdout: (text) => io.stdout(text) })
    : createTableSink({
        stdout: (text) => io.stdout(text),
        isTTY: io.stdoutIsTTY,
        color: wantsColor(io),
        columns: io.columns,
      });

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

async function runStatus(io: Io, options: StatusOptions): Promise<void> {
  const runtime = await createRuntime(io, options.config, statusFlags(options));
  const log = runtime.logs.logger.child('status');
  const config = runtime.loaded.config;
  const sink = createOutputSink(config.output_format, io);
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
    reloading = runtime.reload().finally(() => {
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
        if (!signal.aborted) await sink.write(batch);
      },
      signal,
      monotonicMs: () => performance.now(),
      logger: runtime.logs.logger,
    });
  } finally {
    for (const off of unsubscribe) off();
    await reloading;
    await sink.close?.();
    runtime.close();
  }
}

export const registerStatus: RegisterCommand = (program, { io }) => {
  program
    .command('status')
    .description('Run the enabled checks every poll_interval and print the results (Ctrl-C to stop)')
    .option(
      '-c, --config <file>',
      'config file (default: $ARGUS_CONFIG_PATH, ./config/config.yaml, ~/.config/argus, /etc/argus)',
    )
    .option('-i, --interval <seconds>', 'seconds between cycles, or a duration such as "5s"')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']))
    .option('--once', 'run one cycle, print it and exit')
    .option('--checks <names>', `comma-separated checks to run instead of enabled_checks (${checkNames.join(', ')})`)
    .option('--log-level <level>', 'DEBUG, INFO, WARNING or ERROR')
    .addHelpText(
      'after',
      examples(
        'argus status --once',
        'argus status -i 5 --checks cpu,ram',
        'argus status --once -o json | jq \'.results[] | select(.status != "OK")\'',
        'argus status -o json >> /var/tmp/argus.ndjson',
      ),
    )
    .action(async (options: StatusOptions) => runStatus(io, options));
};
