import { applyV8Flags, OPTIMIZING_COMPILER_FLAGS } from './v8-flags.ts';

/** Milliseconds this thread's event loop has spent busy since it started (event-loop utilisation's `active`). */
const busyMsOfThisThread = (): number => performance.eventLoopUtilization().active;

export interface OptimizingCompiler {
  /** Called at each request and cycle: switches the compiler on once recent busy time passes the budget. */
  tick(): void;
  /** Switches it on now (or again, after a worker thread's start reset V8's flags). */
  enable(reason: string): void;
  readonly enabled: boolean;
}

/**
 * V8's optimizing compiler (TurboFan), held back in the agent until there is work that pays for it. Running it
 * touches ≈ 4 MiB of the node binary that otherwise stays on disk, and its compile zones fragment the malloc heap
 * (≈ 1.4 MiB): an agent that Prometheus scrapes once in 15 s spends ≈ 1 ms of each 15 s on the main thread and
 * gains nothing from optimized code, so it stays at the baseline compiler (Sparkplug) and ≈ 4 MiB smaller. Once the
 * main thread's busy time, decaying with `halfLifeMs`, passes `budgetMs` (a scrape flood, a dashboard decoding a
 * month of history), the compiler is switched on for good: there optimized code serves ≈ 4x the scrapes per CPU
 * second and keeps a valid scraper ahead of a password flood (#15, 1). Work known to need it switches it on at
 * once: the bcrypt thread (bcryptjs runs ≈ 12x slower on baseline code) and history's answers to the dashboard
 * (decoding a day of samples for its charts took 370 instead of 270 ms). docs/architecture.md, "TurboFan on
 * demand", has the figures.
 */
export function createOptimizingCompiler(options: {
  budgetMs: number;
  halfLifeMs: number;
  onEnable?: (reason: string) => void;
  /** Busy milliseconds so far, a monotonic clock and V8's flag setter: Node's own unless a test passes fakes. */
  busyMs?: () => number;
  nowMs?: () => number;
  apply?: (flags: readonly string[]) => void;
}): OptimizingCompiler {
  const busyMs = options.busyMs ?? busyMsOfThisThread;
  const nowMs = options.nowMs ?? (() => performance.now());
  const apply = options.apply ?? applyV8Flags;
  let enabled = false;
  let recentBusyMs = 0;
  let lastBusyMs = busyMs();
  let lastTickMs = nowMs();
  apply(OPTIMIZING_COMPILER_FLAGS.off);

  const enable = (reason: string): void => {
    apply(OPTIMIZING_COMPILER_FLAGS.on);
    if (enabled) return;
    enabled = true;
    options.onEnable?.(reason);
  };

  return {
    tick() {
      if (enabled) return;
      const busy = busyMs();
      const now = nowMs();
      recentBusyMs = recentBusyMs * 0.5 ** ((now - lastTickMs) / options.halfLifeMs) + (busy - lastBusyMs);
      lastBusyMs = busy;
      lastTickMs = now;
      if (recentBusyMs > options.budgetMs)
        enable(`the main thread was busy ${recentBusyMs.toFixed(0)} ms in the last few seconds`);
    },
    enable,
    get enabled() {
      return enabled;
    },
  };
}
