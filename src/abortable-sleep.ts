import { watchAbort } from './abort-watch.ts';

/**
 * Resolves after ms, or at once when the signal aborts (never rejects): loops that stop on SIGTERM wait with it.
 * The status loop sleeps on its one signal every cycle, so it watches through watchAbort() rather than adding and
 * removing an EventTarget listener each time.
 */
export const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    const stopWatching = watchAbort(signal, done);
    function done(): void {
      clearTimeout(timer);
      stopWatching();
      resolve();
    }
  });
