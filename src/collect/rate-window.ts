/**
 * The shortest span a rate is computed over. Counters move in steps (a jiffy is 10 ms of one CPU), so over a few
 * milliseconds a rate is mostly rounding: cycles that once came 2 ms apart reported 85.7 % and then 50 % CPU. A
 * sample closer than this to its baseline reports no rate and keeps the baseline, so the next rate spans the
 * whole time since. Half the shortest sample_window (100 ms): a one-shot run's two samples are never refused.
 */
export const MIN_RATE_WINDOW_MS = 50;

/** Whether a sample taken at nowMs may end a rate window that began at baselineMs. */
export const spansRateWindow = (baselineMs: number, nowMs: number): boolean => nowMs - baselineMs >= MIN_RATE_WINDOW_MS;
