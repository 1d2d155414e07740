import type { CheckContext, Collect, Reading } from '../checks/check.ts';
import type { Host } from '../collect/host.ts';
import { CheckTimeoutError, CheckUnavailableError, describeError } from '../errors.ts';
import { watchAbort } from '../async/abort-watch.ts';
import { MAX_TIMER_MS } from '../async/abortable-sleep.ts';

export type RunOutcome =
  | { ok: true; readings: Reading[]; attempts: number }
  | { ok: false; reason: string; unavailable: boolean; error: unknown; attempts: number };

export interface RunCheckOptions {
  host: Host;
  /** Budget for all attempts together, so a retrying check cannot stretch the cycle. */
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  /** Aborted on shutdown: the run gives up at once. */
  signal: AbortSignal;
  monotonicMs: () => number;
}

const MAX_READINGS = 10_000;

/** Keeps finite numbers only: a NaN or Infinity from a broken driver must not reach thresholds or sinks. */
function sanitize(readings: Reading[]): Reading[] {
  let kept = readings.length > MAX_READINGS ? readings.slice(0, MAX_READINGS) : readings;
  // Copied only when something is dropped: nearly every cycle every value is fine.
  for (let index = 0; index < kept.length; index += 1) {
    const reading = kept[index];
    if (!reading || allFinite(reading.metrics)) continue;
    if (kept === readings) kept = readings.slice();
    kept[index] = {
      ...reading,
      metrics: Object.fromEntries(Object.entries(reading.metrics).filter(([, value]) => isFiniteNumber(value))),
    };
  }
  return kept;
}

const isFiniteNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

function allFinite(metrics: Readonly<Record<string, unknown>>): boolean {
  for (const metric in metrics) if (!isFiniteNumber(metrics[metric])) return false;
  return true;
}

/**
 * The context one check run gets, and what ends the run early: its deadline or shutdown. A class rather than a
 * literal with closures: its lazy `signal` getter lives once on the prototype, where an object literal with a
 * getter is built the slow way (as a dictionary) on every run of every check.
 */
class CheckRun implements CheckContext {
  readonly host: Host;
  readonly monotonicMs: () => number;
  /** Why the run was stopped: a CheckTimeoutError, or shutdown's reason. */
  reason: Error | undefined;
  readonly deadlineMs: number;
  readonly #shutdown: AbortSignal;
  // Made on the first read of `signal`: built-in checks bound their own waits and never read it, and an
  // AbortController per check and cycle is among the costliest objects Node makes on this path.
  #controller: AbortController | undefined;
  #interrupt: ((why: unknown) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #unwatch: (() => void) | undefined;

  constructor(options: RunCheckOptions) {
    this.host = options.host;
    this.monotonicMs = options.monotonicMs;
    this.#shutdown = options.signal;
    this.deadlineMs = options.monotonicMs() + options.timeoutMs;
    if (options.signal.aborted) this.stop(options.signal.reason);
  }

  get signal(): AbortSignal {
    this.#arm();
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.reason) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  get timedOut(): boolean {
    return this.reason instanceof CheckTimeoutError;
  }

  /** Resolves with the work, or rejects with the reason the run was stopped, whichever comes first. */
  until<T>(work: Promise<T>): Promise<T> {
    this.#arm();
    return new Promise((resolve, reject) => {
      if (this.reason) return reject(this.reason);
      this.#interrupt = reject;
      work.then(resolve, reject);
    });
  }

  get stopped(): boolean {
    return this.reason !== undefined;
  }

  stop(reason: unknown): void {
    if (this.reason) return;
    this.reason = reason instanceof Error ? reason : new Error(String(reason));
    this.#controller?.abort(this.reason);
    this.#interrupt?.(this.reason);
  }

  /**
   * The deadline (from the run's start) and shutdown start to count once there is something to wait for: a
   * synchronous check cannot be interrupted, and most built-in checks are synchronous. The timer is ref'd on
   * purpose: with an unref'd one, a hung check and nothing else pending would let Node exit mid-run instead
   * of reporting the timeout.
   */
  #arm(): void {
    if (this.#timer !== undefined || this.stopped) return;
    const left = Math.max(0, this.deadlineMs - this.monotonicMs());
    this.#timer = setTimeout(() => this.stop(new CheckTimeoutError('deadline')), left);
    this.#unwatch = watchAbort(this.#shutdown, (reason) => this.stop(reason));
  }

  disarm(): void {
    clearTimeout(this.#timer);
    this.#unwatch?.();
  }
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.min(ms, MAX_TIMER_MS)).unref());

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/**
 * Runs one check in isolation: a deadline for all attempts, retries with doubling backoff, and every throw
 * caught. A check that ignores its AbortSignal is abandoned at the deadline rather than waited for.
 */
export async function runCheck(collect: Collect, options: RunCheckOptions): Promise<RunOutcome> {
  const run = new CheckRun(options);
  const timeout = (): string => `timeout after ${options.timeoutMs / 1000}s`;
  try {
    for (let attempts = 1; ; attempts += 1) {
      try {
        if (run.reason) throw run.reason;
        const work = collect(run);
        const readings = isPromise(work) ? await run.until(work) : work;
        return { ok: true, readings: sanitize(readings), attempts };
      } catch (error) {
        if (error instanceof CheckUnavailableError)
          return { ok: false, reason: error.message, unavailable: true, error, attempts };
        const reason = run.timedOut
          ? timeout()
          : options.signal.aborted
            ? 'cancelled by shutdown'
            : describeError(error);
        if (run.stopped || attempts > options.retries) {
          return {
            ok: false,
            reason,
            unavailable: false,
            error: run.timedOut ? new CheckTimeoutError(reason) : error,
            attempts,
          };
        }
        try {
          await run.until(sleep(options.backoffMs * 2 ** (attempts - 1)));
        } catch {
          return {
            ok: false,
            reason: run.timedOut ? timeout() : 'cancelled by shutdown',
            unavailable: false,
            error,
            attempts,
          };
        }
      }
    }
  } finally {
    run.disarm();
  }
}
