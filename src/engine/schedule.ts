import { abortableSleep } from '../async/abortable-sleep.ts';
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
  const sleep = options.sleep ?? abortableSleep;
  let interval = options.intervalMs();
  let origin = options.monotonicMs();
  // The slot of the cycle that runs next: cycle k starts at origin + k·interval, never sooner.
  let tick = 0;
  let lastWall = wallMs();
  let lastMono = origin;
  while (!options.signal.aborted) {
    const startedAt = options.monotonicMs();
    await options.runCycle();
    if (options.signal.aborted) break;
    const nextInterval = options.intervalMs();
    let now = options.monotonicMs();
    if (nextInterval !== interval) {
      interval = nextInterval;
      origin = now;
      tick = 1;
    } else {
      // The first slot after now, and never the slot just run: a cycle that started a moment early (see below)
      // must not find its own slot still ahead and run it again.
      let due = Math.max(tick + 1, Math.floor((now - origin) / interval) + 1);
      const overrun = due - tick - 1;
      // A cycle that started late (the process was starved of CPU) shifts the next one rather than being followed
      // by it a moment later: two cycles never start closer than half an interval.
      while (origin + due * interval - startedAt < interval / 2) due += 1;
      const skipped = due - tick - 1;
      if (overrun > 0) {
        log.warning(`cycle took longer than poll_interval; skipping ${skipped} tick(s)`, {
          interval_seconds: interval / 1000,
        });
      } else if (skipped > 0) {
        log.warning(
          `cycle started ${Math.round(startedAt - origin - tick * interval)} ms late; skipping the next tick`,
          {
            interval_seconds: interval / 1000,
          },
        );
      }
      if (skipped > 0) options.onSkipped?.(skipped);
      tick = due;
    }
    const wall = wallMs();
    // A wall-clock step (NTP, VM resume) shows as wall and monotonic deltas disagreeing; timers are unaffected.
    if (Math.abs(wall - lastWall - (now - lastMono)) > 1000)
      log.warning('wall clock jumped', { jump_ms: Math.round(wall - lastWall - (now - lastMono)) });
    lastWall = wall;
    lastMono = now;
    // A timer can fire a few ms before the monotonic clock reaches its target under CPU load (libuv counts from
    // the loop time it cached before a busy stretch); the rest is slept again, so no cycle starts early.
    const target = origin + tick * interval;
    while (now < target && !options.signal.aborted) {
      await sleep(target - now, options.signal);
      now = options.monotonicMs();
    }
  }
}
