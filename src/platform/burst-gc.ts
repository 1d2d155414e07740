import type * as V8 from 'node:v8';
import type * as Vm from 'node:vm';
import { requireBuiltin } from './require-builtin.ts';

/**
 * A full garbage collection after bursts of work, for a long-running process whose heap V8 lets grow under load
 * and then keeps: garbage promoted during a scrape flood sits in the old generation until it reaches its limit,
 * which a flood that ends never makes it do (see docs/architecture.md, "What grows under a scrape flood"). While
 * more than `busyPerWindow` units of work come in a window, and once after they stop, this runs one full GC
 * (≈ 2-5 ms for a heap of 8 MB), which compacts the heap and gives its free pages back.
 */
export function createBurstGc(options: {
  windowMs: number;
  busyPerWindow: number;
  /** The collection to run; V8's full GC unless a test passes its own. */
  collect?: () => void;
}): {
  work(): void;
  stop(): void;
} {
  let gc: (() => void) | undefined;
  let count = 0;
  let busy = false;
  const collect = (): void => {
    if (options.collect) return options.collect();
    if (!gc) {
      // --expose-gc, set at run time, is read when a context is made: a new context hands out gc().
      (requireBuiltin('node:v8') as typeof V8).setFlagsFromString('--expose-gc');
      gc = (requireBuiltin('node:vm') as typeof Vm).runInNewContext('gc') as () => void;
    }
    gc();
  };
  const timer = setInterval(() => {
    const wasBusy = busy;
    busy = count > options.busyPerWindow;
    count = 0;
    if (busy || wasBusy) collect();
  }, options.windowMs);
  timer.unref();
  return {
    work: () => {
      count += 1;
    },
    stop: () => clearInterval(timer),
  };
}
