import { abortableSleep } from '../abortable-sleep.ts';
import type { Logger } from '../log/logger.ts';

export interface ScheduleOptions {
  /** Read before every tick, so a reload that changes poll_interval takes effect at the next one. */
  intervalMs: () => number;
  runCycle: () => Promise<void>;
  signal: AbortSignal;
  monotonicMs: () => number;
  wallMs?: () => number;
  logger: Logger;
  /** Called when ticks are skipped because a cycle overran; tests count them. */
  onSkipped?: (ticks: number) => void;
  /** Waits until the next tick or the abort; tests pass one that moves a fake clock. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Runs cycles on a fixed grid (start + k·interval) measured on the monotonic clock, so that the time a cycle
 * takes never accumulates as drift. A cycle that overruns its slot makes the loop skip the missed ticks rather
 * than start cycles back to back or overlap them.
 */
export async function runSchedule(options: ScheduleOptions): Promise<void> {
  const log = options.logger.child('scheduler');
  const wallMs = options.wallMs ?? Date.now;
  let interval = options.intervalMs();
  let origin = options.monotonicMs();
  let tick = 0;
  let lastWall = wallMs();
  let lastMono = origin;
  while (!options.signal.aborted) {
    await options.runCycle();
    if (options.signal.aborted) break;
    const nextInterval = options.intervalMs();
    const now = options.monotonicMs();
    if (nextInterval !== interval) {
      interval = nextInterval;
      origin = now;
      tick = 0;
    } else {
      const due = Math.floor((now - origin) / interval) + 1;
      const skipped = due - tick - 1;
      if (skipped > 0) {
        log.warning(`cycle took longer than poll_interval; skipping ${skipped} tick(s)`, {
          interval_seconds: interval / 1000,
        });
        options.onSkipped?.(skipped);
      }
      tick = due - 1;
    }
    tick += 1;
    const wall = wallMs();
    // A wall-clock step (NTP, VM resume) shows as wall and monotonic deltas disagreeing; timers are unaffected.
    if (Math.abs(wall - lastWall - (now - lastMono)) > 1000)
      log.warning('wall clock jumped', { jump_ms: Math.round(wall - lastWall - (now - lastMono)) });
    lastWall = wall;
    lastMono = now;
    await (options.sleep ?? abortableSleep)(origin + tick * interval - now, options.signal);
  }
}
