import { abortableSleep } from '../async/abortable-sleep.ts';
import type { Config } from '../config/schema.ts';
import { UsageError } from '../errors.ts';
import type { ProcessIo } from '../engine/process-io.ts';
import { createRuntime, type Runtime } from '../engine/runtime.ts';
import { applyV8Flags, LOOP_V8_FLAGS } from '../engine/v8-flags.ts';
import { monotonicMs } from '../platform/monotonic.ts';
import { historyPath } from '../store/history-path.ts';
import type { CheckResult } from '../result.ts';
import { actionOf, splitKeys } from './keys.ts';
import { layoutScreen } from './layout.ts';
import { TerminalScreen, type TerminalInput, type TerminalOutput } from './screen.ts';
import { TopData } from './top-data.ts';
import { applyAction, editFilter, initialViewState, type SortKey, type ViewState } from './view-state.ts';
import type { Style } from './widgets/style.ts';

export interface TopOptions {
  config?: string | undefined;
  intervalSeconds: number;
  sort: SortKey;
  style: Style;
  /** One frame of this size printed to stdout, then exit: for pipes, scripts and the README's screenshot. */
  once?: { width: number; height: number };
}

export interface TopTerminal {
  output: TerminalOutput;
  input: TerminalInput;
  /** Where --once writes its frame. */
  stdout(text: string): void;
}

/** Panels read these checks' results even when the config does not enable them; the check strip does not. */
const PANEL_CHECKS = ['disk', 'network', 'temperature'];
/** The check cycle (statfs probes, sensors) runs at most this often, however fast the screen refreshes. */
const MIN_CYCLE_MS = 2000;
/** How long a refresh waits for the check cycle before drawing without its new results. */
const CHECKS_WAIT_MS = 250;
/** The first frame has no rates; the second, this soon after, has them. */
const FIRST_RATES_MS = 300;
/** Log lines kept while the screen is up, printed after it closes: a log line would tear the screen. */
const KEPT_LOG_LINES = 50;

/**
 * `argus top`: the live full-screen view. Reads /proc for CPU, memory and processes on every refresh, runs the
 * config's checks for the check strip and the disk, network and sensor panels, and draws with layoutScreen().
 */
export async function runTop(io: ProcessIo, terminal: TopTerminal, options: TopOptions): Promise<void> {
  let enabled: readonly string[] = [];
  const runtime = await createRuntime(
    io,
    options.config,
    {},
    (config: Config, known) => {
      enabled = config.enabled_checks;
      const extra = PANEL_CHECKS.filter((name) => name in known && !config.enabled_checks.includes(name));
      return { ...config, enabled_checks: [...config.enabled_checks, ...extra] };
    },
    { auditByDefault: false },
  );
  const kept: string[] = [];
  runtime.logs.setOutputs([
    {
      write: (line) => {
        kept.push(line);
        if (kept.length > KEPT_LOG_LINES) kept.shift();
      },
    },
  ]);
  try {
    const data = new TopData(runtime.cycle.host, monotonicMs);
    const shownResults = (): CheckResult[] => data.results.filter((result) => enabled.includes(result.name));
    if (options.once) await printOnce(runtime, data, terminal, options, options.once, shownResults);
    else await interactive(io, runtime, data, terminal, options, shownResults);
  } finally {
    runtime.close();
    for (const line of kept) io.stderr(line);
  }
}

async function printOnce(
  runtime: Runtime,
  data: TopData,
  terminal: TopTerminal,
  options: TopOptions,
  size: { width: number; height: number },
  shownResults: () => CheckResult[],
): Promise<void> {
  const signal = new AbortController().signal;
  data.sample();
  const window = runtime.loaded.config.sample_window * 1000;
  await runtime.cycle.prime(signal, window);
  data.sample();
  data.setResults((await runtime.cycle.run(signal)).results);
  const state = initialViewState(options.intervalSeconds, options.sort);
  const screen = layoutScreen(data, shownResults(), state, size.width, size.height, options.style);
  terminal.stdout(`${screen.lines.join('\n')}\n`);
}

async function interactive(
  io: ProcessIo,
  runtime: Runtime,
  data: TopData,
  terminal: TopTerminal,
  options: TopOptions,
  shownResults: () => CheckResult[],
): Promise<void> {
  if (terminal.input.isTTY !== true)
    throw new UsageError('argus top needs a terminal to draw on', {
      hint: 'use `argus top --once` for one frame on a pipe, or `argus status`',
    });
  const screen = new TerminalScreen(terminal.output, terminal.input);
  const stop = new AbortController();
  let state: ViewState = initialViewState(options.intervalSeconds, options.sort);
  let page = 1;
  let cycleRunning = false;
  let lastCycleMs = Number.NEGATIVE_INFINITY;
  const redraw = (): void => {
    const { width, height } = screen.size;
    const frame = layoutScreen(data, shownResults(), state, width, height, options.style);
    page = Math.max(1, frame.page);
    screen.draw(frame.lines);
  };
  /** Runs the check cycle unless one is running or ran less than MIN_CYCLE_MS ago; settles when it is done. */
  const runChecks = (): Promise<void> => {
    if (cycleRunning || monotonicMs() - lastCycleMs < MIN_CYCLE_MS - 50) return Promise.resolve();
    cycleRunning = true;
    lastCycleMs = monotonicMs();
    return runtime.cycle
      .run(stop.signal)
      .then((batch) => data.setResults(batch.results))
      .catch(() => undefined) // a failed check is its own UNKNOWN result; a failed cycle waits for the next
      .finally(() => {
        cycleRunning = false;
      });
  };
  /** Wakes the refresh loop early: a changed interval takes effect now, not after the old one. */
  let wake = new AbortController();
  const onKeys = (input: string): void => {
    for (const key of splitKeys(input)) {
      if (state.editingFilter) {
        state = editFilter(state, key);
        continue;
      }
      if (key === '\x1a') {
        suspend();
        continue;
      }
      const action = actionOf(key);
      if (action === undefined) continue;
      if (action === 'quit' && state.help && key === '\x1b') {
        state = { ...state, help: false }; // Esc leaves the help screen first
        continue;
      }
      if (action === 'quit') {
        stop.abort();
        wake.abort();
        return;
      }
      const before = state.intervalSeconds;
      state = applyAction(state, action, page);
      if (action === 'help') screen.invalidate();
      if (state.intervalSeconds !== before) wake.abort();
    }
    redraw();
  };
  const onResize = (): void => {
    screen.invalidate();
    redraw();
  };
  const suspend = (): void => {
    // Ctrl-Z in raw mode is a key, not a signal: give the terminal back, stop, and redraw when continued.
    screen.leave();
    process.once('SIGCONT', () => {
      screen.enter();
      screen.invalidate();
      redraw();
    });
    process.kill(process.pid, 'SIGTSTP');
  };
  const leaveOnExit = (): void => screen.leave();
  const onSignal = (): void => {
    stop.abort();
    wake.abort();
  };
  process.on('exit', leaveOnExit);
  const unsubscribe = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => io.onSignal(signal, onSignal));
  terminal.input.on('data', onKeys);
  terminal.output.on('resize', onResize);
  screen.enter();
  try {
    data.sample();
    redraw();
    // After the first frame: applying flags writes the compile cache (bin/argus.cjs), which must not delay it.
    applyV8Flags(LOOP_V8_FLAGS.top);
    // The sparklines' past, right after the first frame: opening SQLite must not delay it.
    const config = runtime.loaded.config;
    if (config.storage.sqlite.enabled) {
      const { seedFromHistory } = await import('./history-seed.ts');
      if (seedFromHistory(data, historyPath(config, io.env), options.intervalSeconds, config.poll_interval)) redraw();
    }
    void runtime.cycle.prime(stop.signal).then(
      () => runChecks().then(redraw),
      () => undefined,
    );
    await abortableSleep(FIRST_RATES_MS, stop.signal).catch(() => undefined);
    while (!stop.signal.aborted) {
      if (!state.paused) {
        data.sample();
        // One frame per refresh, with the checks' results when they come in time (a hung mount's probe does not
        // hold the frame: its results show at the next refresh).
        await Promise.race([runChecks(), abortableSleep(CHECKS_WAIT_MS, stop.signal)]);
      }
      redraw();
      wake = new AbortController();
      const both = AbortSignal.any([stop.signal, wake.signal]);
      await abortableSleep(state.intervalSeconds * 1000, both).catch(() => undefined);
    }
  } finally {
    terminal.input.off('data', onKeys);
    terminal.output.off('resize', onResize);
    for (const off of unsubscribe) off();
    process.off('exit', leaveOnExit);
    screen.leave();
  }
}
