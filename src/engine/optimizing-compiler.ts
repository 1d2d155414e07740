import { applyV8Flags, OPTIMIZING_COMPILER_FLAGS } from './v8-flags.ts';

export interface OptimizingCompiler {
  /** Called as each request comes in: measures how long requests wait for their turn of the event loop. */
  tick(): void;
  /**
   * Switches the compiler on now; later calls do nothing. A worker thread's start resets V8's flags to the command
   * line's, where the compiler is on, so once on it stays on.
   */
  enable(reason: string): void;
  readonly enabled: boolean;
}

/**
 * V8's optimizing compiler (TurboFan), held back in the agent until there is work that pays for it. Running it
 * touches ≈ 4 MiB of the node binary that otherwise stays on disk, and its compile zones fragment the malloc heap:
 * an agent that Prometheus scrapes once in 15 s spends ≈ 1 ms of each 15 s on its main thread and gains nothing
 * from optimized code, so it stays at the baseline compiler (Sparkplug), ≈ 4 MiB smaller.
 *
 * Baseline code costs each request ≈ 4x the CPU, which a client only feels when requests queue behind each other:
 * with a few clients (Prometheus, a dashboard, even 8 connections scraping flat out: p99 2.4 ms) a request's turn
 * comes within ≈ 1 ms; with 200 connections turns took over 10 ms, and on baseline code for good wrk saw timeouts. So the compiler comes on, for good, when requests
 * wait: as a request arrives, the time until the event loop has handled what was already waiting is measured (one
 * setImmediate per turn, only while requests come), and `queuedRequests` waits over `queuedMs` within `windowMs`
 * switch it on. Work known to need it switches it on at once: the bcrypt thread (bcryptjs runs ≈ 12x slower on
 * baseline code) and history's answers to the dashboard (a day of charts took 370 instead of 270 ms).
 * docs/architecture.md, "TurboFan on demand", has the figures.
 */
export function createOptimizingCompiler(options: {
  queuedMs: number;
  queuedRequests: number;
  windowMs: number;
  onEnable?: (reason: string) => void;
  /** A monotonic clock, "after this turn" and V8's flag setter: Node's own unless a test passes fakes. */
  nowMs?: () => number;
  afterTurn?: (then: () => void) => void;
  apply?: (flags: readonly string[]) => void;
}): OptimizingCompiler {
  const nowMs = options.nowMs ?? (() => performance.now());
  const afterTurn = options.afterTurn ?? ((then) => void setImmediate(then));
  const apply = options.apply ?? applyV8Flags;
  let enabled = false;
  let measuring = false;
  /** When recent requests that waited longer than queuedMs came in, oldest first. */
  const queuedAt: number[] = [];
  apply(OPTIMIZING_COMPILER_FLAGS.off);

  const enable = (reason: string): void => {
    if (enabled) return;
    apply(OPTIMIZING_COMPILER_FLAGS.on);
    enabled = true;
    options.onEnable?.(reason);
  };

  return {
    tick() {
      if (enabled || measuring) return;
      measuring = true;
      const cameAt = nowMs();
      afterTurn(() => {
        measuring = false;
        const waitedMs = nowMs() - cameAt;
        if (enabled || waitedMs <= options.queuedMs) return;
        queuedAt.push(cameAt);
        while ((queuedAt[0] ?? cameAt) < cameAt - options.windowMs) queuedAt.shift();
        if (queuedAt.length >= options.queuedRequests)
          enable(
            `${queuedAt.length} requests in ${options.windowMs / 1000} s waited for their turn, the last ${waitedMs.toFixed(0)} ms`,
          );
      });
    },
    enable,
    get enabled() {
      return enabled;
    },
  };
}
