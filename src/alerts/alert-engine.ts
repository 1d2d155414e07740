import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditEvent } from '../log/audit.ts';
import type { Logger } from '../log/logger.ts';
import type { Batch } from '../result.ts';
import { stepAlerts, type AlertEvent, type AlertRules, type AlertState } from './alert-state.ts';

export interface AlertEngine {
  /** Feeds one cycle; returns the events to notify (already logged and audited). */
  observe(batch: Batch): AlertEvent[];
  /** New rules from a reload; the state (what is firing, since when) is kept. */
  configure(rules: AlertRules): void;
  /** What fires now (notified and not resolved), as events, for notifiers that start while it fires. */
  firing(nowSeconds: number): AlertEvent[];
}

export interface AlertEngineDeps {
  /** Where the state survives restarts; undefined keeps it in memory only. */
  statePath: string | undefined;
  rules: AlertRules;
  logger: Logger;
  audit: (event: AuditEvent) => void;
}

function loadState(path: string | undefined, log: Logger): AlertState {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {}; // first start
  }
  try {
    const state = JSON.parse(text) as unknown;
    if (state && typeof state === 'object' && !Array.isArray(state)) return state as AlertState;
    throw new SyntaxError('not an object');
  } catch (error) {
    // A damaged state file must not stop monitoring: keep it for a look, start afresh.
    const aside = `${path}.corrupt-${Date.now()}`;
    renameSync(path, aside);
    log.warning(`alert state file was unreadable and has been moved to "${aside}": ${(error as Error).message}`);
    return {};
  }
}

function saveState(path: string, state: AlertState): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state), { mode: 0o600 });
  renameSync(temporary, path);
}

const SAVE_EVERY_SECONDS = 30;

const LEVEL: Record<AlertEvent['kind'], 'info' | 'warning'> = {
  firing: 'warning',
  changed: 'warning',
  repeat: 'warning',
  resolved: 'info',
  flapping: 'warning',
  flapping_stopped: 'info',
  test: 'info',
};

/** Alert state across cycles, restarts and reloads; events are logged and audited, and returned for notifiers. */
export function createAlertEngine(deps: AlertEngineDeps): AlertEngine {
  const log = deps.logger.child('alerts');
  let rules = deps.rules;
  let state = loadState(deps.statePath, log);
  let saveFailed = false;
  // Set by a cycle that changed what a restart must remember, until a save succeeds.
  let unsaved = true;
  let savedAt = 0;
  return {
    observe(batch) {
      const nowSeconds = Date.parse(batch.timestamp) / 1000;
      const step = stepAlerts(state, batch.results, nowSeconds, rules);
      state = step.state;
      for (const event of step.events) {
        const transition =
          event.kind === 'firing' || event.kind === 'changed' ? `${event.previous} → ${event.status}` : event.status;
        log[LEVEL[event.kind]](`alert ${event.kind}: ${event.key} ${transition}: ${event.details}`);
        deps.audit({
          event: 'alert',
          kind: event.kind,
          key: event.key,
          status: event.status,
          previous: event.previous,
        });
      }
      // What must survive a restart is what is notified, pending or flapping; counters and lastSeen can be a little
      // stale. So write when that changes, else every 30 s, not every cycle (a JSON file a second at -i 1).
      if (step.changed) unsaved = true;
      if (deps.statePath && (unsaved || nowSeconds - savedAt >= SAVE_EVERY_SECONDS || step.events.length > 0)) {
        try {
          saveState(deps.statePath, state);
          unsaved = false;
          savedAt = nowSeconds;
          saveFailed = false;
        } catch (error) {
          if (!saveFailed)
            log.warning(
              `Cannot save alert state to "${deps.statePath}": ${(error as Error).message}; alerts go on in memory`,
            );
          saveFailed = true;
        }
      }
      return step.events;
    },
    configure(next) {
      rules = next;
    },
    firing(nowSeconds) {
      return firingEvents(state, nowSeconds);
    },
  };
}

/** The alerts a state says are firing; the key is "check" or "check/instance" (a check name holds no "/"). */
export function firingEvents(state: AlertState, nowSeconds: number): AlertEvent[] {
  const events: AlertEvent[] = [];
  for (const [key, track] of Object.entries(state)) {
    if (track.notified === 'OK') continue;
    const slash = key.indexOf('/');
    const check = slash < 0 ? key : key.slice(0, slash);
    const instance = slash < 0 ? undefined : key.slice(slash + 1);
    events.push({
      kind: 'firing',
      key,
      check,
      ...(instance === undefined ? {} : { instance }),
      status: track.notified,
      previous: 'OK',
      startsAt: track.firingSince,
      at: nowSeconds,
      details: `${track.notified} since ${new Date(track.firingSince * 1000).toISOString()}`,
      metrics: {},
    });
  }
  return events;
}

/** The rules of the config's `alerts:` section. */
export function alertRulesFrom(alerts: {
  for_cycles: number;
  for: number;
  resolve_after_cycles: number;
  repeat_interval: number;
  flap_detection: false | { window: number; start: number; stop: number };
}): AlertRules {
  return {
    forCycles: alerts.for_cycles,
    forSeconds: alerts.for,
    resolveAfterCycles: alerts.resolve_after_cycles,
    repeatSeconds: alerts.repeat_interval,
    flap: alerts.flap_detection === false ? undefined : alerts.flap_detection,
  };
}
