import type { Collect, Reading } from '../checks/check.ts';
import type { Host } from '../collect/host.ts';
import { CheckTimeoutError, CheckUnavailableError } from '../errors.ts';

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
  exportRaw?: boolean;
}

const MAX_READINGS = 10_000;

const abortPromise = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });

const delay = (ms: number, signal: AbortSignal): Promise<void> =>
  Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms).unref()), abortPromise(signal)]);

/** Keeps finite numbers only: a NaN or Infinity from a broken driver must not reach thresholds or sinks. */
function sanitize(readings: Reading[]): Reading[] {
  return readings.slice(0, MAX_READINGS).map((reading) => ({
    ...reading,
    metrics: Object.fromEntries(
      Object.entries(reading.metrics).filter(([, value]) => typeof value === 'number' && Number.isFinite(value)),
    ),
  }));
}

/**
 * Runs one check in isolation: a deadline for all attempts, retries with doubling backoff, and every throw
 * caught. A check that ignores its AbortSignal is abandoned at the deadline rather than waited for.
 */
export async function runCheck(collect: Collect, options: RunCheckOptions): Promise<RunOutcome> {
  // One controller per run, aborted by the deadline or by shutdown: cheaper than AbortSignal.any() and
  // AbortSignal.timeout() on a path that runs every cycle. The timer is ref'd on purpose: with an unref'd
  // one, a hung check and nothing else pending would let Node exit mid-run instead of reporting the timeout.
  const controller = new AbortController();
  const onShutdown = (): void => controller.abort(options.signal.reason);
  if (options.signal.aborted) onShutdown();
  options.signal.addEventListener('abort', onShutdown, { once: true });
  const timer = setTimeout(() => controller.abort(new CheckTimeoutError('deadline')), options.timeoutMs);
  try {
    return await attemptUntilDone(collect, options, controller.signal);
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onShutdown);
  }
}

async function attemptUntilDone(collect: Collect, options: RunCheckOptions, signal: AbortSignal): Promise<RunOutcome> {
  const timedOut = (): boolean => signal.reason instanceof CheckTimeoutError;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      // then() turns a synchronous throw into a rejection, so a sync check fails as cleanly as an async one.
      const run = Promise.resolve().then(() =>
        collect({
          host: options.host,
          signal,
          monotonicMs: options.monotonicMs,
          exportRaw: options.exportRaw === true,
        }),
      );
      const readings = signal.aborted ? await abortPromise(signal) : await Promise.race([run, abortPromise(signal)]);
      return { ok: true, readings: sanitize(readings), attempts };
    } catch (error) {
      if (error instanceof CheckUnavailableError)
        return { ok: false, reason: error.message, unavailable: true, error, attempts };
      const reason = timedOut()
        ? `timeout after ${options.timeoutMs / 1000}s`
        : options.signal.aborted
          ? 'cancelled by shutdown'
          : describeError(error);
      if (signal.aborted || attempts > options.retries) {
        return {
          ok: false,
          reason,
          unavailable: false,
          error: timedOut() ? new CheckTimeoutError(reason) : error,
          attempts,
        };
      }
      try {
        await delay(options.backoffMs * 2 ** (attempts - 1), signal);
      } catch {
        const late = timedOut() ? `timeout after ${options.timeoutMs / 1000}s` : 'cancelled by shutdown';
        return { ok: false, reason: late, unavailable: false, error, attempts };
      }
    }
  }
}

/** The error's class and message only: stacks belong in the debug log, not in a status line. */
export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
