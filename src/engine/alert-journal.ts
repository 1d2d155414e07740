import type { AlertEvent } from '../alerts/alert-state.ts';
import { toNotification } from '../notifiers/dispatcher.ts';

/** Where one notification stands with one notifier: waiting in its outbox, or how it ended. */
export type DeliveryOutcome = 'queued' | 'retrying' | 'delivered' | 'dropped' | 'expired';

export interface JournalEntry {
  id: string;
  kind: AlertEvent['kind'];
  check: string;
  instance: string | null;
  status: AlertEvent['status'];
  previous: AlertEvent['status'];
  /** Unix ms. */
  at: number;
  details: string;
  /** Per notifier: its latest outcome for this event, with the receiver's reason when it failed. */
  deliveries: Record<string, { outcome: DeliveryOutcome; reason?: string }>;
}

export interface AlertJournal {
  add(events: readonly AlertEvent[]): void;
  delivery(id: string, notifier: string, outcome: DeliveryOutcome, reason?: string): void;
  /** Newest first. */
  entries(): readonly JournalEntry[];
}

/**
 * The agent's recent alert events and what became of their notifications, for the dashboard and /api/v1/alerts.
 * In memory and bounded (the audit log is the durable record): the newest `limit` events, older ones dropped.
 */
export function createAlertJournal(host: string, limit = 200): AlertJournal {
  const entries: JournalEntry[] = [];
  const byId = new Map<string, JournalEntry>();
  return {
    add(events) {
      for (const event of events) {
        // The notification's own idempotency key: the dispatcher reports deliveries under it.
        const notification = toNotification(event, host);
        const entry: JournalEntry = {
          id: notification.idempotency_key,
          kind: event.kind,
          check: event.check,
          instance: event.instance ?? null,
          status: event.status,
          previous: event.previous,
          at: event.at * 1000,
          details: event.details,
          deliveries: {},
        };
        entries.unshift(entry);
        byId.set(entry.id, entry);
        if (entries.length > limit) byId.delete(entries.pop()!.id);
      }
    },
    delivery(id, notifier, outcome, reason) {
      const entry = byId.get(id);
      if (entry) entry.deliveries[notifier] = reason === undefined ? { outcome } : { outcome, reason };
    },
    entries: () => entries,
  };
}
