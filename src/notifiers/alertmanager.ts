import * as v from 'valibot';
import { httpOptions } from '../net/http-options.ts';
import { DURATION_LIMITS, durationSchema } from '../schema/duration.ts';
import { deliver, requireHttps } from './http-delivery.ts';
import { defineNotifier, type Notification } from './notifier.ts';

const SEVERITY = { CRIT: 'critical', WARN: 'warning', UNKNOWN: 'unknown', OK: 'none' } as const;

/** "disk" → "ArgusDisk", "my_plugin" → "ArgusMyPlugin": Prometheus' CamelCase for alert names. */
export const alertName = (check: string): string =>
  `Argus${check
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('')}`;

/**
 * One alert of Alertmanager's API v2. A firing alert ends `staleAfterMs` from now unless refreshed: Alertmanager
 * resolves what an Argus that died stops refreshing, as it does for a Prometheus that stops evaluating.
 */
export function toAlertmanagerAlert(notification: Notification, nowMs: number, staleAfterMs: number) {
  const resolved = notification.kind === 'resolved';
  const status = resolved ? notification.previous_status : notification.status;
  const where = notification.instance ? ` ${notification.instance}` : '';
  return {
    labels: {
      alertname: alertName(notification.check),
      host: notification.host,
      check: notification.check,
      ...(notification.instance ? { instance: notification.instance } : {}),
      severity: SEVERITY[status],
    },
    annotations: {
      summary: `${notification.check}${where} ${status} on ${notification.host}`,
      description: notification.details,
    },
    startsAt: notification.starts_at,
    endsAt: resolved ? notification.at : new Date(nowMs + staleAfterMs).toISOString(),
  };
}

export const alertmanagerNotifier = defineNotifier({
  description: "POST alerts to Prometheus Alertmanager's API v2, re-posting what fires until it resolves",
  options: v.strictObject({
    ...httpOptions,
    url: v.pipe(httpOptions.url, v.description("Alertmanager's base URL, e.g. http://alertmanager:9093")),
    resend_interval: v.pipe(
      v.optional(durationSchema(DURATION_LIMITS.timeout), 60),
      v.description(
        'Re-post firing alerts this often (Alertmanager resolves an alert not refreshed within 3 intervals)',
      ),
    ),
  }),
  validate: requireHttps,
  create: (options) => {
    const target = new URL('api/v2/alerts', options.url.endsWith('/') ? options.url : `${options.url}/`).href;
    const intervalMs = options.resend_interval * 1000;
    const post = (notifications: readonly Notification[]) =>
      deliver(
        target,
        JSON.stringify(notifications.map((one) => toAlertmanagerAlert(one, Date.now(), 3 * intervalMs))),
        {
          headers: { 'content-type': 'application/json', 'user-agent': 'argus-monitor' },
          timeoutMs: options.timeout_seconds * 1000,
          caFile: options.ca_file,
        },
      );
    // What fires now, by alert: re-posted on a timer, outside the outbox (a refresh lost is sent again next time).
    const firing = new Map<string, Notification>();
    const timer = setInterval(() => {
      if (firing.size > 0) post([...firing.values()]).catch(() => undefined);
    }, intervalMs);
    timer.unref();
    return {
      async send(notification) {
        if (notification.kind === 'test') {
          await post([notification]);
          return;
        }
        if (notification.kind === 'resolved') firing.delete(notification.alert);
        else firing.set(notification.alert, notification);
        // A change of severity is another alert to Alertmanager (severity is a label): the old one resolves now.
        const replaced =
          notification.kind === 'changed' && notification.previous_status !== 'OK'
            ? [{ ...notification, kind: 'resolved' as const }]
            : [];
        await post([...replaced, notification]);
      },
      resume(alerts) {
        for (const notification of alerts) firing.set(notification.alert, notification);
        // At once: Alertmanager may have resolved them while Argus was down; a failure is retried by the timer.
        if (alerts.length > 0) post(alerts).catch(() => undefined);
      },
      close: () => clearInterval(timer),
    };
  },
});
