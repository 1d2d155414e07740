import type * as Crypto from 'node:crypto';
import { join } from 'node:path';
import type { AlertEvent } from '../alerts/alert-state.ts';
import { UserError } from '../errors.ts';
import { requireBuiltin } from '../platform/require-builtin.ts';
import type { AuditEvent } from '../log/audit.ts';
import type { Logger } from '../log/logger.ts';
import { openFileOutbox, type FileOutbox } from '../outbox/file-outbox.ts';
import type { Status } from '../result.ts';
import { describeError } from '../errors.ts';
import { DeliveryError, type Notification, type Notifier, type NotifierDefinition } from './notifier.ts';
import { notifiers } from './registry.ts';

export interface NotifyEntry {
  type: string;
  name: string;
  /** Only these checks; empty means all. */
  checks: string[];
  /** Only these statuses; a "resolved" goes where the alert it resolves went. Empty means all. */
  statuses: Status[];
  [option: string]: unknown;
}

/** What an attempt came to: sent, to be tried again, or given up (rejected, or older than the outbox TTL). */
export type DeliveryEnd = 'delivered' | 'retrying' | 'dropped' | 'expired';

export interface DispatcherOptions {
  entries: readonly NotifyEntry[];
  /** Outboxes live in <stateDir>/outbox/<notifier name>/ and survive restarts. */
  stateDir: string;
  ttlSeconds: number;
  host: string;
  logger: Logger;
  audit: (event: AuditEvent) => void;
  backoff?: { baseMs: number; capMs: number };
  /** Each notification's progress per notifier (queued, retrying, then how it ended), under its idempotency key. */
  onDelivery?: (id: string, notifier: string, outcome: 'queued' | DeliveryEnd, reason?: string) => void;
  nowSeconds?: () => number;
  random?: () => number;
}

/** Per notifier, since start: what the agent's /metrics exposes as argus_alert_* counters. */
export interface DeliveryCounts {
  delivered: number;
  retries: number;
  /** Rejected for good by the receiver. */
  dropped: number;
  /** Older than outbox_ttl. */
  expired: number;
  /** Pushed out of a full outbox, oldest first. */
  overflowed: number;
  /** Waiting in the outbox now. */
  queued: number;
}

export interface Dispatcher {
  notify(events: readonly AlertEvent[]): void;
  /** The alerts firing as the notifiers start, for those that keep refreshing them (Notifier.resume). */
  resume(firing: readonly AlertEvent[]): void;
  counts(): Record<string, DeliveryCounts>;
  /** Stops retry timers; what is not delivered stays in the outboxes for the next start. */
  close(): void;
  /** Resolves once every outbox is empty or waiting for a retry; for tests and `alerts test`. */
  idle(): Promise<void>;
}

export function toNotification(event: AlertEvent, host: string): Notification {
  const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
  return {
    version: 1,
    idempotency_key: (requireBuiltin('node:crypto') as typeof Crypto)
      .createHash('sha256')
      .update(`${host}\n${event.key}\n${event.kind}\n${event.status}\n${event.startsAt}\n${event.at}`)
      .digest('hex')
      .slice(0, 32),
    kind: event.kind,
    alert: event.key,
    check: event.check,
    instance: event.instance ?? null,
    status: event.status,
    previous_status: event.previous,
    details: event.details,
    metrics: event.metrics,
    host,
    starts_at: iso(event.startsAt),
    at: iso(event.at),
  };
}

const routes = (entry: NotifyEntry, event: AlertEvent): boolean =>
  (entry.checks.length === 0 || entry.checks.includes(event.check)) &&
  (entry.statuses.length === 0 || entry.statuses.includes(event.kind === 'resolved' ? event.previous : event.status));

/** Creates a configured notifier; a notifier that cannot start is the user's to fix. */
export function createNotifier(entry: NotifyEntry): Notifier {
  const definition = notifiers[entry.type as keyof typeof notifiers] as NotifierDefinition | undefined;
  if (!definition) throw new UserError(`Unknown notifier type "${entry.type}"`);
  try {
    return definition.create(entry);
  } catch (error) {
    throw new UserError(`Cannot start notifier "${entry.name}": ${describeError(error)}`, { cause: error });
  }
}

function openOutbox(dir: string, name: string): FileOutbox<Notification> {
  try {
    return openFileOutbox<Notification>(dir, { maxItems: 10_000, maxBytes: 64 * 1024 * 1024 });
  } catch (error) {
    throw new UserError(`Cannot open the outbox of notifier "${name}" in "${dir}": ${describeError(error)}`, {
      cause: error,
    });
  }
}

interface Lane {
  entry: NotifyEntry;
  counts: Omit<DeliveryCounts, 'queued' | 'overflowed'>;
  notifier: Notifier;
  outbox: FileOutbox<Notification>;
  running: Promise<void> | undefined;
  timer: NodeJS.Timeout | undefined;
  attempts: number;
}

/**
 * Delivers alert events through the durable outboxes, one lane per notifier, oldest first (order is kept: a
 * resolution never overtakes its alert). A failed delivery is retried with exponential backoff and full jitter
 * (random(0, min(cap, base·2ⁿ))), or later when the receiver says Retry-After; a rejected one is dropped, and
 * whatever outlives the TTL is dropped too. Every outcome goes to the audit log.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const log = options.logger.child('notify');
  const now = options.nowSeconds ?? (() => Date.now() / 1000);
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? { baseMs: 1000, capMs: 300_000 };
  let closed = false;
  const lanes: Lane[] = options.entries.map((entry) => ({
    entry,
    notifier: createNotifier(entry),
    outbox: openOutbox(join(options.stateDir, 'outbox', entry.name), entry.name),
    running: undefined,
    timer: undefined,
    attempts: 0,
    counts: { delivered: 0, retries: 0, dropped: 0, expired: 0 },
  }));

  const audit = (lane: Lane, notification: Notification, outcome: DeliveryEnd, reason?: string): void => {
    options.onDelivery?.(notification.idempotency_key, lane.entry.name, outcome, reason);
    options.audit({
      event: 'alert_delivery',
      notifier: lane.entry.name,
      alert: notification.alert,
      kind: notification.kind,
      outcome,
      ...(reason ? { reason } : {}),
    });
  };

  const drain = async (lane: Lane): Promise<void> => {
    for (let item = lane.outbox.oldest(); item && !closed; item = lane.outbox.oldest()) {
      if (now() - item.enqueuedAt > options.ttlSeconds) {
        lane.outbox.remove(item.id);
        lane.counts.expired += 1;
        log.warning(
          `notifier "${lane.entry.name}" gave up on ${item.payload.alert} ${item.payload.kind}: older than the outbox TTL`,
        );
        audit(lane, item.payload, 'expired');
        continue;
      }
      try {
        await lane.notifier.send(item.payload);
        lane.outbox.remove(item.id);
        lane.counts.delivered += 1;
        if (lane.attempts > 0) log.info(`notifier "${lane.entry.name}" delivers again`);
        lane.attempts = 0;
        audit(lane, item.payload, 'delivered');
      } catch (error) {
        if (error instanceof DeliveryError && !error.retryable) {
          lane.outbox.remove(item.id);
          lane.counts.dropped += 1;
          log.warning(
            `notifier "${lane.entry.name}" dropped ${item.payload.alert} ${item.payload.kind}: ${error.message}`,
          );
          audit(lane, item.payload, 'dropped', error.message);
          continue;
        }
        lane.attempts += 1;
        lane.counts.retries += 1;
        const jitter = random() * Math.min(backoff.capMs, backoff.baseMs * 2 ** (lane.attempts - 1));
        const retryAfter =
          error instanceof DeliveryError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
        const delay = Math.max(jitter, retryAfter);
        if (lane.attempts === 1)
          log.warning(`notifier "${lane.entry.name}" failed, will retry: ${describeError(error)}`);
        audit(lane, item.payload, 'retrying', describeError(error));
        if (!closed) lane.timer = setTimeout(() => pump(lane), delay);
        return;
      }
    }
  };

  const pump = (lane: Lane): void => {
    if (lane.running || closed) return;
    lane.timer = undefined;
    lane.running = drain(lane).finally(() => {
      lane.running = undefined;
    });
  };

  // Whatever a previous run left undelivered goes first.
  for (const lane of lanes) if (lane.outbox.size > 0) pump(lane);

  return {
    notify(events) {
      for (const event of events) {
        const notification = toNotification(event, options.host);
        for (const lane of lanes) {
          if (!routes(lane.entry, event)) continue;
          lane.outbox.enqueue(notification, now());
          options.onDelivery?.(notification.idempotency_key, lane.entry.name, 'queued');
          if (!lane.timer) pump(lane);
        }
      }
    },
    resume(firing) {
      for (const lane of lanes) {
        const routed = firing.filter((event) => routes(lane.entry, event));
        if (routed.length > 0) lane.notifier.resume?.(routed.map((event) => toNotification(event, options.host)));
      }
    },
    counts() {
      return Object.fromEntries(
        lanes.map((lane) => [
          lane.entry.name,
          { ...lane.counts, overflowed: lane.outbox.dropped, queued: lane.outbox.size },
        ]),
      );
    },
    close() {
      closed = true;
      for (const lane of lanes) {
        clearTimeout(lane.timer);
        lane.notifier.close?.();
      }
    },
    async idle() {
      for (
        let busy = lanes.filter((lane) => lane.running !== undefined);
        busy.length > 0;
        busy = lanes.filter((lane) => lane.running !== undefined)
      ) {
        await Promise.all(busy.map((lane) => lane.running ?? Promise.resolve()));
      }
    },
  };
}
