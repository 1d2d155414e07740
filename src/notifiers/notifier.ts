import type * as v from 'valibot';
import type { Status } from '../result.ts';

/** The documented JSON every notifier receives (and the webhook posts as is). */
export interface Notification {
  version: 1;
  /** The same for every delivery of one alert transition, so receivers can de-duplicate at-least-once delivery. */
  idempotency_key: string;
  kind: 'firing' | 'changed' | 'repeat' | 'resolved' | 'flapping' | 'flapping_stopped' | 'test';
  alert: string;
  check: string;
  instance: string | null;
  status: Status;
  previous_status: Status;
  details: string;
  metrics: Record<string, number>;
  host: string;
  /** When the alerting status began (ISO-8601). */
  starts_at: string;
  /** When this transition happened (ISO-8601). */
  at: string;
}

/** A delivery that did not succeed; `retryable` false means the receiver will never take this one. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  constructor(
    message: string,
    options: { retryable: boolean; retryAfterSeconds?: number | undefined; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export interface Notifier {
  send(notification: Notification): Promise<void>;
  /**
   * The alerts firing when this notifier starts (after a restart or a reload), which it was never sent. Only a
   * notifier that refreshes what fires takes them up (Alertmanager resolves an alert that is not refreshed); the
   * others have said all there is to say.
   */
  resume?(firing: readonly Notification[]): void;
  /** Stops what the notifier does on its own between sends (the Alertmanager one's refreshes). */
  close?(): void;
}

/** A kind of notifier users configure under `alerts.notify`. */
export interface NotifierDefinition<
  S extends v.StrictObjectSchema<v.ObjectEntries, undefined> = v.StrictObjectSchema<v.ObjectEntries, undefined>,
> {
  description: string;
  options: S;
  /** A rule across fields (https unless allowed): the problem's key and message, or undefined when fine. */
  validate?(options: v.InferOutput<S>): { key: string; message: string } | undefined;
  create(options: v.InferOutput<S>): Notifier;
}

export function defineNotifier<S extends v.StrictObjectSchema<v.ObjectEntries, undefined>>(
  definition: NotifierDefinition<S>,
): NotifierDefinition<S> {
  return definition;
}
