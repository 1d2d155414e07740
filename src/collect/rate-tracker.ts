/**
 * The shortest span a rate is computed over. Counters move in steps (a jiffy is 10 ms of one CPU), so over a few
 * milliseconds a rate is mostly rounding: cycles that once came 2 ms apart reported 85.7 % and then 50 % CPU. A
 * sample closer than this to its baseline reports no rate and keeps the baseline, so the next rate spans the
 * whole time since. Half the shortest sample_window (100 ms): a one-shot run's two samples are never refused.
 */
export const MIN_RATE_WINDOW_MS = 50;

/** Whether a sample taken at nowMs may end a rate window that began at baselineMs. */
export const spansRateWindow = (baselineMs: number, nowMs: number): boolean => nowMs - baselineMs >= MIN_RATE_WINDOW_MS;

/** A sample of counters and when it was taken, on the monotonic clock. */
export interface Sampled<C> {
  counters: C;
  atMs: number;
}

export interface RateTracker<K, C> {
  /**
   * Takes the counters of one key (a core, a device, an interface, a process) sampled at nowMs and returns the
   * baseline to measure from, or undefined: for a key seen first, after a reset (`isReset`), or when the baseline
   * is too recent (less than MIN_RATE_WINDOW_MS ago, when it is kept so the next sample spans the whole time).
   */
  observe(key: K, counters: C, nowMs: number): Sampled<C> | undefined;
  /** Ends a pass over the keys: keys not observed since the last end() are forgotten (a device that went away). */
  end(): void;
  /** Forgets one key, so its next sample starts over (an interface name reused by another interface). */
  forget(key: K): void;
}

/**
 * Baselines of counters per key, for turning counters into rates: cpu, disk I/O and network, and processes in
 * `argus top`. One place for what each of them needs: a first sample is only a baseline, a counter that went
 * backwards starts over, a sample too close to its baseline is no rate, and keys that vanish are dropped.
 */
export function createRateTracker<K, C>(isReset: (before: C, after: C) => boolean): RateTracker<K, C> {
  // Two maps swapped at each end(), not a new one per pass: the status loop's garbage is its CPU.
  let baselines = new Map<K, Sampled<C>>();
  let next = new Map<K, Sampled<C>>();
  return {
    observe(key, counters, nowMs) {
      const before = baselines.get(key);
      if (before && !spansRateWindow(before.atMs, nowMs)) {
        next.set(key, before);
        return undefined;
      }
      next.set(key, { counters, atMs: nowMs });
      return before && !isReset(before.counters, counters) ? before : undefined;
    },
    end() {
      const done = baselines;
      baselines = next;
      next = done;
      next.clear();
    },
    forget(key) {
      baselines.delete(key);
      next.delete(key);
    },
  };
}
