import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { AuditEvent } from '../log/audit.ts';
import type { Logger } from '../log/logger.ts';
import { createDispatcher, type Dispatcher } from '../notifiers/dispatcher.ts';
import type { Batch } from '../result.ts';
import { alertRulesFrom, createAlertEngine } from '../alerts/alert-engine.ts';
import type { AlertJournal } from './alert-journal.ts';

export interface Alerting {
  /** Feeds a cycle's results: events go to the notifiers (when `alerts.enabled`). */
  observe(batch: Batch): void;
  /** New settings from a reload: rules apply at once, notifiers are swapped only if they changed. */
  configure(settings: Config['alerts']): void;
  /** Stops retries (undelivered notifications stay in the outboxes) and logs what was delivered. */
  close(): void;
}

/** Alert state plus delivery, as a long-running loop (`status`, later `agent`) needs them across reloads. */
export function createAlerting(deps: {
  settings: Config['alerts'];
  stateDir: string;
  host: string;
  logger: Logger;
  audit: (event: AuditEvent) => void;
  /** Keeps the recent events and their deliveries for the dashboard (the agent's). */
  journal?: AlertJournal;
}): Alerting {
  const log = deps.logger.child('alerts');
  const { journal } = deps;
  let settings = deps.settings;
  const engine = createAlertEngine({
    statePath: settings.state_file ?? join(deps.stateDir, 'alerts.json'),
    rules: alertRulesFrom(settings),
    logger: deps.logger,
    audit: deps.audit,
  });
  const dispatcherFor = (next: Config['alerts']): Dispatcher | undefined =>
    next.enabled && next.notify.length > 0
      ? createDispatcher({
          entries: next.notify,
          stateDir: deps.stateDir,
          ttlSeconds: next.outbox_ttl,
          host: deps.host,
          logger: deps.logger,
          audit: deps.audit,
          ...(journal ? { onDelivery: (...args) => journal.delivery(...args) } : {}),
        })
      : undefined;
  const keyOf = (next: Config['alerts']): string => JSON.stringify([next.enabled, next.notify, next.outbox_ttl]);
  // Notifiers that refresh what fires (Alertmanager) learn what already fired before they started: after a restart
  // the state file knows, the notifiers do not, and Alertmanager would resolve those alerts within minutes.
  const resume = (): void => {
    if (settings.enabled) dispatcher?.resume(engine.firing(Date.now() / 1000));
  };
  let dispatcher = dispatcherFor(settings);
  let dispatcherKey = keyOf(settings);
  resume();
  return {
    observe(batch) {
      if (!settings.enabled) return;
      const events = engine.observe(batch);
      if (events.length === 0) return;
      journal?.add(events);
      dispatcher?.notify(events);
    },
    configure(next) {
      settings = next;
      engine.configure(alertRulesFrom(next));
      if (keyOf(next) === dispatcherKey) return;
      // The outboxes stay on disk under each notifier's name, so nothing queued is lost in the swap.
      dispatcher?.close();
      try {
        dispatcher = dispatcherFor(next);
        resume();
      } catch (error) {
        dispatcher = undefined;
        log.error(`notifiers not started: ${(error as Error).message}`);
      }
      dispatcherKey = keyOf(next);
    },
    close() {
      if (dispatcher) log.info('notifications since start', dispatcher.counts());
      dispatcher?.close();
    },
  };
}
