import type { CheckResult, Status } from '../result.ts';

export interface AlertRules {
  /** A new status must be seen this many cycles in a row before it fires. */
  forCycles: number;
  /** …and have lasted this many seconds. */
  forSeconds: number;
  /** A firing alert resolves after this many OK cycles in a row (recovery hysteresis). */
  resolveAfterCycles: number;
  /** A firing alert is sent again after this many seconds; 0 never repeats. */
  repeatSeconds: number;
  /** Flapping: `start` status changes within the last `window` cycles suppress notifications until at most `stop`. */
  flap: { window: number; start: number; stop: number } | undefined;
}

export type AlertEventKind = 'firing' | 'changed' | 'repeat' | 'resolved' | 'flapping' | 'flapping_stopped' | 'test';

export interface AlertEvent {
  kind: AlertEventKind;
  /** "check" or "check/instance". */
  key: string;
  check: string;
  instance?: string;
  status: Status;
  previous: Status;
  /** When the status that fires began (the first cycle it was seen). */
  startsAt: number;
  at: number;
  details: string;
  metrics: Record<string, number>;
}

/** What is remembered per check and instance between cycles; plain data, so it can be saved as JSON. */
export interface AlertTrack {
  /** The status notified last: OK when nothing is firing. */
  notified: Status;
  notifiedAt: number;
  firingSince: number;
  /** A status that differs from `notified` and is waiting out `for`. */
  pending?: { status: Status; since: number; cycles: number };
  okCycles: number;
  /** Observed statuses of the last cycles, newest last, for flap detection. */
  recent: Status[];
  flapping: boolean;
  lastSeen: number;
}

export type AlertState = Record<string, AlertTrack>;

const keyOf = (result: CheckResult): string =>
  result.instance === undefined ? result.name : `${result.name}/${result.instance}`;

function changesIn(statuses: readonly Status[]): number {
  let changes = 0;
  for (let index = 1; index < statuses.length; index += 1) if (statuses[index - 1] !== statuses[index]) changes += 1;
  return changes;
}

const newTrack = (nowSeconds: number): AlertTrack => ({
  notified: 'OK',
  notifiedAt: 0,
  firingSince: 0,
  okCycles: 0,
  recent: [],
  flapping: false,
  lastSeen: nowSeconds,
});

/**
 * The step is pure, so it works on a copy; by hand, as structuredClone() costs a serialization per result. The
 * recent statuses are copied once, already shifted by the new one: this runs for every result of every cycle.
 */
function nextTrack(track: AlertTrack, status: Status, window: number): AlertTrack {
  const copy = { ...track };
  if (track.pending) copy.pending = { ...track.pending };
  const recent: Status[] = [];
  for (let index = Math.max(0, track.recent.length + 1 - window); index < track.recent.length; index += 1)
    recent.push(track.recent[index] as Status);
  recent.push(status);
  copy.recent = recent;
  return copy;
}

/** Tracks unseen this long (a vanished mount, a renamed interface) are forgotten. */
const FORGET_AFTER_SECONDS = 24 * 3600;

/**
 * One cycle of alerting: feeds each result into its track and returns the events to notify. Pure: the caller keeps
 * the state (and saves it), passes the time, and decides where events go. `changed` says whether anything a
 * restart must remember changed: a track came or went, or what is notified, pending or flapping.
 */
export function stepAlerts(
  state: AlertState,
  results: readonly CheckResult[],
  nowSeconds: number,
  rules: AlertRules,
): { state: AlertState; events: AlertEvent[]; changed: boolean } {
  const next: AlertState = {};
  const events: AlertEvent[] = [];
  const window = rules.flap?.window ?? 1;
  let changed = false;
  for (let index = 0; index < results.length; index += 1) {
    const result = results[index] as CheckResult;
    const key = keyOf(result);
    const before = state[key];
    if (!before) changed = true;
    const track = nextTrack(before ?? newTrack(nowSeconds), result.status, window);
    const wasNotified = track.notified;
    const wasPending = track.pending?.status;
    const wasFlapping = track.flapping;
    track.lastSeen = nowSeconds;
    const event = (kind: AlertEventKind, status: Status, previous: Status, startsAt: number): void => {
      events.push({
        kind,
        key,
        check: result.name,
        ...(result.instance === undefined ? {} : { instance: result.instance }),
        status,
        previous,
        startsAt,
        at: nowSeconds,
        details: result.details,
        metrics: result.metrics,
      });
    };

    if (rules.flap) {
      const changes = changesIn(track.recent);
      if (!track.flapping && changes >= rules.flap.start) {
        track.flapping = true;
        event('flapping', result.status, track.notified, nowSeconds);
      } else if (track.flapping && changes <= rules.flap.stop) {
        track.flapping = false;
        event('flapping_stopped', result.status, track.notified, nowSeconds);
      }
    }

    if (result.status === 'OK') {
      delete track.pending;
      track.okCycles += 1;
      if (track.notified !== 'OK' && track.okCycles >= rules.resolveAfterCycles && !track.flapping) {
        event('resolved', 'OK', track.notified, track.firingSince);
        track.notified = 'OK';
        track.notifiedAt = nowSeconds;
      }
    } else {
      track.okCycles = 0;
      if (result.status === track.notified) {
        delete track.pending;
        if (rules.repeatSeconds > 0 && nowSeconds - track.notifiedAt >= rules.repeatSeconds && !track.flapping) {
          event('repeat', result.status, track.notified, track.firingSince);
          track.notifiedAt = nowSeconds;
        }
      } else {
        const pending =
          track.pending?.status === result.status
            ? track.pending
            : { status: result.status, since: nowSeconds, cycles: 0 };
        pending.cycles += 1;
        track.pending = pending;
        const held = pending.cycles >= rules.forCycles && nowSeconds - pending.since >= rules.forSeconds;
        if (held && !track.flapping) {
          const previous = track.notified;
          if (previous === 'OK') track.firingSince = pending.since;
          event(previous === 'OK' ? 'firing' : 'changed', result.status, previous, track.firingSince);
          track.notified = result.status;
          track.notifiedAt = nowSeconds;
          delete track.pending;
        }
      }
    }
    if (wasNotified !== track.notified || wasPending !== track.pending?.status || wasFlapping !== track.flapping)
      changed = true;
    next[key] = track;
  }
  // Tracks not in this cycle (their check did not run, or the instance is gone) are kept a day, then forgotten.
  for (const key in state) {
    const track = state[key] as AlertTrack;
    if (key in next) continue;
    if (nowSeconds - track.lastSeen < FORGET_AFTER_SECONDS) next[key] = track;
    else changed = true;
  }
  return { state: next, events, changed };
}
