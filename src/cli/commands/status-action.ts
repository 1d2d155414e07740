import { didYouMeanHint } from '../../config/did-you-mean.ts';
import { parseDuration } from '../../schema/duration.ts';
import { UsageError } from '../../errors.ts';
import { createJsonSink } from '../../sinks/json.ts';
import type { Sink } from '../../sinks/sink.ts';
import type { Batch } from '../../result.ts';
import { wantsColor, type Io } from '../io.ts';
import { listenForQuit } from '../quit-keys.ts';
import { createRuntime, type LoadFlags, type Runtime } from '../../engine/runtime.ts';
import { createProcessSampler } from '../../collect/process-sampler.ts';
import { monotonicMs } from '../../platform/monotonic.ts';
import { MAX_PROCESS_LIMIT, topProcesses } from '../../server/processes-api.ts';
import { LOOP_V8_FLAGS } from '../../engine/v8-flags.ts';
import { runLoop } from '../../engine/loop.ts';

export interface StatusOptions {
  config?: string;
  interval?: string;
  output?: 'table' | 'json';
  once?: boolean;
  checks?: string;
  logLevel?: string;
  /** With -o json: the top N processes by CPU in each document. */
  processes?: string;
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
  // --checks cpu,cpu runs cpu once, in the order first named.
  return [...new Set(names)];
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

async function createOutputSink(
  format: 'table' | 'json',
  io: Io,
  messages: () => readonly string[],
  extra?: () => Record<string, unknown>,
): Promise<Sink> {
  if (format === 'json') return createJsonSink({ stdout: (text) => io.stdout(text) }, extra);
  // cli-table3 and its colour helpers are the largest part of the bundle; JSON runs never load them.
  const { createTableSink } = await import('../../sinks/table.ts');
  return createTableSink({
    stdout: (text) => io.stdout(text),
    isTTY: io.stdoutIsTTY,
    color: wantsColor(io),
    columns: io.columns,
    // A terminal that reports no size (a pty nobody sized, as script(1) makes) is taken as 80x24.
    size: () => ({ columns: process.stdout.columns || 80, rows: process.stdout.rows || 24 }),
    messages,
  });
}

/**
 * --processes N: a process sampler primed now and a sample window before the first cycle, so the first document
 * already has CPU shares, and a function that adds the top N to each document.
 */
async function processesOption(
  text: string | undefined,
  format: 'table' | 'json',
  runtime: Runtime,
): Promise<(() => Record<string, unknown>) | undefined> {
  if (text === undefined) return undefined;
  const count = Number(text);
  if (!/^\d{1,4}$/.test(text) || count < 1 || count > MAX_PROCESS_LIMIT)
    throw new UsageError(`Option --processes needs 1 to ${MAX_PROCESS_LIMIT} (got "${text}")`);
  if (format !== 'json') throw new UsageError('Option --processes goes with -o json');
  const sampler = createProcessSampler(monotonicMs);
  sampler.sample(runtime.cycle.host);
  // CPU shares need a window: the first document waits it once, as a rate check's one-shot run does.
  await new Promise((resolve) => setTimeout(resolve, runtime.loaded.config.sample_window * 1000));
  return () => ({ processes: topProcesses(sampler.sample(runtime.cycle.host), 'cpu', count) });
}

/**
 * What the agent's /metrics would serve for a batch, for a remote_write sink under `status`; built only when the
 * config has one (the node collectors are not loaded otherwise).
 */
async function scrapeForSinks(runtime: Runtime): Promise<((batch: Batch) => Promise<string>) | undefined> {
  if (!runtime.loaded.config.sinks.some((sink) => sink.type === 'remote_write')) return undefined;
  const { createHostNodeSeries } = await import('./host-node-series.ts');
  const { renderExposition } = await import('../../server/exposition.ts');
  const nodeSeries = createHostNodeSeries(runtime);
  return async (batch) =>
    (await nodeSeries.text()) +
    renderExposition({
      batch,
      checks: runtime.loaded.checks,
      thresholds: runtime.cycle.config.thresholds,
      self: [],
    });
}

/** Log lines kept for the live table's message rows. */
const KEPT_MESSAGES = 20;

export async function runStatus(io: Io, options: StatusOptions): Promise<void> {
  const flags = statusFlags(options);
  // While the live table is drawn on a terminal that stderr shares, log lines go under the table instead: written
  // to stderr they would land in the middle of the frame and push its header off the screen.
  const messages: string[] = [];
  let logsUnderTable = false;
  const loopIo: Io = Object.create(io, {
    stderr: {
      value: (text: string) => {
        if (!logsUnderTable) return io.stderr(text);
        messages.push(...text.replace(/\n$/, '').split('\n'));
        messages.splice(0, Math.max(0, messages.length - KEPT_MESSAGES));
      },
    },
  }) as Io;
  // --checks is applied after every load: plugin checks are only known once the config has loaded them.
  const runtime = await createRuntime(loopIo, options.config, flags, (config, known) =>
    options.checks === undefined
      ? config
      : { ...config, enabled_checks: parseChecksFlag(options.checks, Object.keys(known)) },
  );
  try {
    const topProcesses = await processesOption(options.processes, runtime.loaded.config.output_format, runtime);
    const sink = await createOutputSink(runtime.loaded.config.output_format, io, () => messages, topProcesses);
    // A loop prints for hours: a reader that stops reading must queue its output, not stall the checks and SIGTERM.
    if (options.once !== true) io.streamStdout();
    // On a terminal, q quits the live table as Ctrl-C does (SIGINT takes the loop's own way out).
    const live = options.once !== true && io.stdoutIsTTY && runtime.loaded.config.output_format === 'table';
    logsUnderTable = live && process.stderr.isTTY;
    const releaseKeys = live
      ? listenForQuit(process.stdin, () => process.kill(process.pid, 'SIGINT'))
      : () => undefined;
    try {
      await runLoop(loopIo, runtime, {
        once: options.once === true,
        history: options.history,
        v8Flags: LOOP_V8_FLAGS.status,
        scrape: await scrapeForSinks(runtime),
        onCycle: (batch) => sink.write(batch),
      });
    } finally {
      logsUnderTable = false;
      releaseKeys();
      await sink.close?.();
    }
  } finally {
    runtime.close();
  }
}
