import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startReceiver } from '../../test/helpers/loopback-receiver.ts';
import { alertmanagerNotifier, alertName, toAlertmanagerAlert } from './alertmanager.ts';
import type { Notification, Notifier } from './notifier.ts';

const firing: Notification = {
  version: 1,
  idempotency_key: 'k1',
  kind: 'firing',
  alert: 'disk//',
  check: 'disk',
  instance: '/',
  status: 'WARN',
  previous_status: 'OK',
  details: '/: 91.0% used [WARN used_percent=91 (>= 90)]',
  metrics: { used_percent: 91 },
  host: 'web1',
  starts_at: '2026-12-05T07:00:00.000Z',
  at: '2026-12-05T07:00:00.000Z',
};

/** Resolves the alert, then waits three refresh periods: the receiver must get the resolve and nothing after it. */
async function assertQuietAfterResolving(
  notifier: Notifier,
  receiver: Awaited<ReturnType<typeof startReceiver>>,
  previous: Notification['previous_status'],
  message: string,
): Promise<void> {
  await notifier.send({ ...firing, kind: 'resolved', status: 'OK', previous_status: previous });
  const after = receiver.received.length;
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(receiver.received.length, after, message);
}

test('an alert for Alertmanager: CamelCase name, host/check/instance/severity labels, the breach annotated', () => {
  assert.equal(alertName('disk'), 'ArgusDisk');
  assert.equal(alertName('my_plugin-x'), 'ArgusMyPluginX');
  const now = Date.parse('2026-12-05T07:01:00Z');
  assert.deepEqual(toAlertmanagerAlert(firing, now, 180_000), {
    labels: { alertname: 'ArgusDisk', host: 'web1', check: 'disk', instance: '/', severity: 'warning' },
    annotations: { summary: 'disk / WARN on web1', description: firing.details },
    startsAt: '2026-12-05T07:00:00.000Z',
    endsAt: '2026-12-05T07:04:00.000Z',
  });
  const resolved = toAlertmanagerAlert(
    { ...firing, kind: 'resolved', status: 'OK', previous_status: 'WARN', at: '2026-12-05T07:09:00.000Z' },
    now,
    180_000,
  );
  assert.deepEqual([resolved.labels.severity, resolved.endsAt], ['warning', '2026-12-05T07:09:00.000Z']);
  const ram = toAlertmanagerAlert({ ...firing, check: 'ram', instance: null, status: 'CRIT' }, now, 1000);
  assert.deepEqual(ram.labels, { alertname: 'ArgusRam', host: 'web1', check: 'ram', severity: 'critical' });
});

/** A notifier that re-posts what fires every 100 ms, so that tests see refreshes without waiting a minute. */
const refreshingEvery100ms = (url: string) =>
  alertmanagerNotifier.create({ url, allow_insecure_http: true, timeout_seconds: 5, resend_interval: 0.1 });

test('the notifier re-posts what fires, resolves the old severity on a change, and stops refreshing once resolved', async () => {
  const receiver = await startReceiver();
  const notifier = refreshingEvery100ms(`${receiver.url}/am`);
  const posted = (index: number) =>
    JSON.parse(receiver.received[index]!.body) as ReturnType<typeof toAlertmanagerAlert>[];
  try {
    await notifier.send(firing);
    assert.equal(receiver.received[0]?.path, '/am/api/v2/alerts');
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.ok(receiver.received.length >= 3, `refreshed: ${receiver.received.length} posts`);
    await notifier.send({ ...firing, kind: 'changed', status: 'CRIT', previous_status: 'WARN' });
    const changed = posted(receiver.received.length - 1);
    assert.deepEqual(
      changed.map((alert) => [alert.labels.severity, alert.endsAt === firing.at]),
      [
        ['warning', true],
        ['critical', false],
      ],
    );
    await assertQuietAfterResolving(notifier, receiver, 'CRIT', 'nothing fires, nothing is re-posted');
  } finally {
    notifier.close?.();
    await receiver.close();
  }
});

test('alerts firing before the notifier started are posted at once and refreshed until they resolve', async () => {
  const receiver = await startReceiver();
  const notifier = refreshingEvery100ms(receiver.url);
  try {
    notifier.resume?.([firing]);
    const started = Date.now();
    while (receiver.received.length < 3) {
      assert.ok(Date.now() - started < 5000, 'posted at once, then refreshed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const [alert] = JSON.parse(receiver.received[0]!.body) as ReturnType<typeof toAlertmanagerAlert>[];
    assert.deepEqual(alert?.labels, {
      alertname: 'ArgusDisk',
      host: 'web1',
      check: 'disk',
      instance: '/',
      severity: 'warning',
    });
    assert.equal(alert?.startsAt, firing.starts_at, 'the alert keeps its start: Alertmanager sees the same alert');
    await assertQuietAfterResolving(notifier, receiver, 'WARN', 'resolved: no more refreshes');
  } finally {
    notifier.close?.();
    await receiver.close();
  }
});
