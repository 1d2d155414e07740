/** Milliseconds on the monotonic clock; hrtime needs no module load, unlike performance.now() (perf_hooks). */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;
