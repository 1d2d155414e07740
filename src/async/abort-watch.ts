type OnAbort = (reason: unknown) => void;

const watchers = new WeakMap<AbortSignal, Set<OnAbort>>();

const stopNothing = (): void => {};

/**
 * Calls `onAbort` with the signal's reason when it aborts (at once if it has); returns the function that stops
 * watching. Every check run of every cycle watches the loop's one long-lived signal: a Set behind a single
 * listener per signal costs a fraction of an EventTarget listener added and removed per run (Node's EventTarget
 * validates options and allocates on each call). Weakly keyed, so a dropped signal takes its watchers with it.
 */
export function watchAbort(signal: AbortSignal, onAbort: OnAbort): () => void {
  if (signal.aborted) {
    onAbort(signal.reason);
    return stopNothing;
  }
  const set = watchers.get(signal) ?? listenOnce(signal);
  set.add(onAbort);
  return () => void set.delete(onAbort);
}

function listenOnce(signal: AbortSignal): Set<OnAbort> {
  const set = new Set<OnAbort>();
  signal.addEventListener('abort', () => {
    for (const watcher of set) watcher(signal.reason);
  });
  watchers.set(signal, set);
  return set;
}
