import { watchAbort } from './abort-watch.ts';

/**
 * Node's timers hold at most 2^31-1 ms (24.8 days); a longer delay fires after 1 ms with a TimeoutOverflowWarning.
 * Every duration in the config has a maximum well under that (schema/duration.ts), and sleeps chain past it besides.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves after ms, or at once when the signal aborts (never rejects): loops that stop on SIGTERM wait with it.
 * The status loop sleeps on its one signal every cycle, so it watches through watchAbort() rather than adding and
 * removing an EventTarget listener each time. A wait past a timer's reach (24.8 days) is chained, never cut to 1 ms.
 */
export const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    let left = ms;
    let timer = setTimeout(next, Math.min(left, MAX_TIMER_MS));
    const stopWatching = watchAbort(signal, done);
    function next(): void {
      left -= MAX_TIMER_MS;
      if (left > 0) timer = setTimeout(next, Math.min(left, MAX_TIMER_MS));
      else done();
    }
    function done(): void {
      clearTimeout(timer);
      stopWatching();
      resolve();
    }
  });
