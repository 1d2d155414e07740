import { eventually } from '../../test/helpers/eventually.ts';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as v from 'valibot';
import { freePort, startReceiver } from '../../test/helpers/loopback-receiver.ts';
import { createTestPki } from '../../test/helpers/test-ca.ts';
import type { AlertEvent } from '../alerts/alert-state.ts';
import type { AuditEvent } from '../log/audit.ts';
import { createLogRouter } from '../log/logger.ts';
import { createDispatcher, toNotification, type NotifyEntry } from './dispatcher.ts';
import { parseRetryAfter } from '../net/http-options.ts';
import type { DeliveryError } from './notifier.ts';
import { slackText } from './slack.ts';
import { webhookNotifier } from './webhook.ts';

const pki = createTestPki();
const rogue = createTestPki('Someone Else');
const receivers: { close(): Promise<void> }[] = [];
after(() => Promise.all(receivers.map((receiver) => receiver.close())));
const receiver = async (options: Parameters<typeof startReceiver>[0] = {}) => {
  const started = await startReceiver(options);
  receivers.push(started);
  return started;
};

const HOSTILE = `$(rm -rf /) "quoted" 'single'\nsecond line; \`backticks\` <b>&</b>`;
const event = (kind: AlertEvent['kind'], status: AlertEvent['status'], at: number, key = 'disk//'): AlertEvent => ({
  kind,
  key,
  check: key.split('/')[0] ?? 'disk',
  instance: '/',
  status,
  previous: kind === 'resolved' ? 'CRIT' : 'OK',
  startsAt: 1000,
  at,
  details: `/: 97% used ${HOSTILE}`,
  metrics: { used_percent: 97 },
});
const webhook = (url: string, extra: Record<string, unknown> = {}) =>
  webhookNotifier.create(
    v.parse(webhookNotifier.options, { url, ca_file: pki.caFile, secret: 'a-secret-of-16-chars', ...extra }),
  );

test('webhook posts the documented JSON over verified TLS, signed, with hostile text verbatim', async () => {
  const server = await receiver({ pki });
  const notification = toNotification(event('firing', 'CRIT', 1060), 'web1');
  await webhook(`${server.url}/hook`).send(notification);
  const [request] = server.received;
  assert.deepEqual(JSON.parse(request?.body ?? ''), notification);
  assert.equal((JSON.parse(request?.body ?? '') as { details: string }).details, `/: 97% used ${HOSTILE}`);
  const timestamp = String(request?.headers['x-argus-timestamp']);
  const expected = `sha256=${createHmac('sha256', 'a-secret-of-16-chars')
    .update(`${timestamp}.${request?.body ?? ''}`)
    .digest('hex')}`;
  assert.equal(request?.headers['x-argus-signature'], expected);
  assert.equal(request?.headers['idempotency-key'], notification.idempotency_key);
  assert.equal(notification.starts_at, '1970-01-01T00:16:40.000Z');
});

test('webhook refuses certificates it cannot verify and does not follow redirects', async () => {
  const impostor = await receiver({ pki: rogue });
  await assert.rejects(
    webhook(impostor.url).send(toNotification(event('firing', 'CRIT', 1), 'h')),
    (error: DeliveryError) => error.retryable && /Cannot reach/.test(error.message),
  );
  assert.equal(impostor.received.length, 0);
  const moved = await receiver({ pki, answers: [{ status: 302, headers: { location: '/elsewhere' } }] });
  await assert.rejects(
    webhook(`${moved.url}/hook`).send(toNotification(event('firing', 'CRIT', 1), 'h')),
    /answered 302 \(a redirect elsewhere, not followed\)/,
  );
  assert.deepEqual(
    moved.received.map((request) => request.path),
    ['/hook'],
  );
  const rejected = await receiver({ pki, answers: [{ status: 422 }] });
  await assert.rejects(
    webhook(rejected.url).send(toNotification(event('firing', 'CRIT', 1), 'h')),
    (error: DeliveryError) => !error.retryable,
  );
});

test('the config refuses plain http to another host unless allowed; on this host it stays on loopback', () => {
  assert.deepEqual(webhookNotifier.validate?.(v.parse(webhookNotifier.options, { url: 'http://hooks.example/x' })), {
    key: 'url',
    message:
      'must be https:// unless the receiver is on this host (alerts and secrets would travel in clear); set allow_insecure_http: true to allow http://',
  });
  assert.equal(
    webhookNotifier.validate?.(
      v.parse(webhookNotifier.options, { url: 'http://hooks.example/x', allow_insecure_http: true }),
    ),
    undefined,
  );
  for (const url of ['http://127.0.0.1:9093', 'http://localhost:9093/', 'http://[::1]:9093'])
    assert.equal(webhookNotifier.validate?.(v.parse(webhookNotifier.options, { url })), undefined, url);
});

/** The outcome of each delivery attempt in the audit trail, in order. */
const deliveryOutcomes = (audited: AuditEvent[]): string[] =>
  audited.flatMap((record) => (record.event === 'alert_delivery' ? [record.outcome] : []));

function dispatcherFor(url: string, stateDir: string, extra: Partial<NotifyEntry> = {}, now = () => Date.now() / 1000) {
  const audited: AuditEvent[] = [];
  const entry: NotifyEntry = {
    type: 'webhook',
    name: 'ops',
    checks: [],
    statuses: [],
    url,
    ca_file: pki.caFile,
    allow_insecure_http: false,
    timeout_seconds: 2,
    ...extra,
  };
  const dispatcher = createDispatcher({
    entries: [entry],
    stateDir,
    ttlSeconds: 3600,
    host: 'web1',
    logger: createLogRouter({ level: 'ERROR', outputs: [] }).logger,
    audit: (record) => audited.push(record),
    backoff: { baseMs: 20, capMs: 100 },
    nowSeconds: now,
  });
  return { dispatcher, audited };
}

const settle = async (dispatcher: { idle(): Promise<void> }, done: () => boolean) => {
  for (let tries = 0; tries < 300 && !done(); tries += 1) {
    await dispatcher.idle();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(done(), 'delivered in time');
};

test('dispatcher keeps notifications while the receiver is down and delivers them in order when it is back', async () => {
  const port = await freePort();
  const stateDir = mkdtempSync(join(tmpdir(), 'argus-notify-'));
  const { dispatcher, audited } = dispatcherFor(`https://127.0.0.1:${port}/hook`, stateDir);
  dispatcher.notify([event('firing', 'WARN', 1), event('changed', 'CRIT', 2), event('resolved', 'OK', 3)]);
  await eventually(
    () => audited.some((record) => record.event === 'alert_delivery' && record.outcome === 'retrying'),
    'a failed attempt audited as retrying',
  );
  const server = await receiver({ pki, port });
  await settle(dispatcher, () => server.received.length === 3 && dispatcher.counts().ops?.delivered === 3);
  assert.deepEqual(
    server.received.map((request) => (JSON.parse(request.body) as { kind: string }).kind),
    ['firing', 'changed', 'resolved'],
  );
  const counts = dispatcher.counts().ops;
  assert.equal(counts?.queued, 0);
  assert.equal(counts?.dropped, 0);
  assert.ok((counts?.retries ?? 0) >= 1, 'the down receiver cost retries');
  dispatcher.close();
});

test('dispatcher survives a restart with undelivered notifications, and retries 5xx and Retry-After', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'argus-notify-'));
  const port = await freePort();
  const first = dispatcherFor(`https://127.0.0.1:${port}/hook`, stateDir);
  first.dispatcher.notify([event('firing', 'CRIT', 1)]);
  await first.dispatcher.idle();
  first.dispatcher.close();
  const server = await receiver({
    pki,
    port,
    answers: [{ status: 503 }, { status: 429, headers: { 'retry-after': '1' } }],
  });
  const second = dispatcherFor(`https://127.0.0.1:${port}/hook`, stateDir);
  // The receiver sees the request before the dispatcher sees the answer: wait for the audit record too.
  const delivered = () =>
    second.audited.some((record) => record.event === 'alert_delivery' && record.outcome === 'delivered');
  await settle(second.dispatcher, () => server.received.length === 3 && delivered());
  const [, limited, retried] = server.received;
  assert.ok((retried?.at ?? 0) - (limited?.at ?? 0) >= 900, 'waited as Retry-After asked');
  second.dispatcher.close();
});

test('dispatcher drops what the receiver rejects without blocking the rest, and what outlives the TTL', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'argus-notify-'));
  const server = await receiver({ pki, answers: [{ status: 400 }] });
  const { dispatcher, audited } = dispatcherFor(`${server.url}/hook`, stateDir);
  dispatcher.notify([event('firing', 'CRIT', 1), event('resolved', 'OK', 2)]);
  const outcomes = () => deliveryOutcomes(audited);
  await settle(dispatcher, () => outcomes().length === 2);
  assert.deepEqual(outcomes(), ['dropped', 'delivered']);
  assert.deepEqual(dispatcher.counts().ops, {
    delivered: 1,
    retries: 0,
    dropped: 1,
    expired: 0,
    overflowed: 0,
    queued: 0,
  });
  dispatcher.close();
  let now = 0;
  const down = await freePort();
  const expiring = dispatcherFor(
    `https://127.0.0.1:${down}/hook`,
    mkdtempSync(join(tmpdir(), 'argus-notify-')),
    {},
    () => now,
  );
  expiring.dispatcher.notify([event('firing', 'CRIT', 1)]);
  await expiring.dispatcher.idle();
  now = 7200;
  await eventually(
    () => expiring.audited.some((record) => record.event === 'alert_delivery' && record.outcome === 'expired'),
    'the next retry finding the notification past its ttl',
  );
  assert.equal(expiring.dispatcher.counts().ops?.expired, 1);
  expiring.dispatcher.close();
});

test('dispatcher routes by check and status; a resolution follows its alert', async () => {
  const server = await receiver({ pki });
  const { dispatcher, audited } = dispatcherFor(`${server.url}/hook`, mkdtempSync(join(tmpdir(), 'argus-notify-')), {
    checks: ['disk'],
    statuses: ['CRIT'],
  });
  dispatcher.notify([
    event('firing', 'WARN', 1),
    event('firing', 'CRIT', 2, 'ram'),
    event('changed', 'CRIT', 3),
    event('resolved', 'OK', 4),
  ]);
  const outcomes = () => deliveryOutcomes(audited);
  await settle(dispatcher, () => outcomes().length === 2);
  assert.deepEqual(
    server.received.map((request) => (JSON.parse(request.body) as { kind: string }).kind),
    ['changed', 'resolved'],
  );
  dispatcher.close();
});

test('slack text escapes what Slack would format; Retry-After reads seconds and dates', () => {
  assert.equal(
    slackText(toNotification(event('firing', 'CRIT', 1), 'web<1>')),
    ':rotating_light: *disk//* on web&lt;1&gt;: CRIT\n/: 97% used $(rm -rf /) "quoted" \'single\'\nsecond line; `backticks` &lt;b&gt;&amp;&lt;/b&gt;',
  );
  assert.equal(parseRetryAfter('120'), 120);
  assert.equal(parseRetryAfter('9999'), 600);
  const inThirty = parseRetryAfter(new Date(Date.now() + 30_000).toUTCString()) ?? 0;
  assert.ok(inThirty > 28 && inThirty <= 30, String(inThirty));
  assert.equal(parseRetryAfter('soon'), 10);
  assert.equal(parseRetryAfter(undefined), undefined);
});

test('argus alerts test sends one test notification per notifier and exits 69 when one fails', async () => {
  const { main } = await import('../cli/main.ts');
  const { createTestIo } = await import('../../test/helpers/test-io.ts');
  const { writeFileSync } = await import('node:fs');
  const server = await receiver({ pki });
  const down = await freePort();
  const io = createTestIo();
  const config = join(io.cwd, 'argus.yaml');
  writeFileSync(
    config,
    `alerts:\n  notify:\n    - { type: webhook, name: ops, url: "${server.url}/hook", ca_file: ${pki.caFile} }\n    - { type: slack, name: chat, url: "https://127.0.0.1:${down}/services/x", ca_file: ${pki.caFile}, timeout_seconds: 2 }\n`,
  );
  assert.equal(await main(['alerts', 'test', '-c', config], io), 69);
  assert.match(
    io.out.join(''),
    /^ops: delivered\nchat: failed: DeliveryError: Cannot reach "https:\/\/127\.0\.0\.1:\d+": .*ECONNREFUSED/,
  );
  assert.doesNotMatch(io.out.join(''), /services/, "a webhook URL's path is its secret and is never shown");
  assert.equal((JSON.parse(server.received[0]?.body ?? '{}') as { kind: string }).kind, 'test');
  const one = createTestIo();
  assert.equal(await main(['alerts', 'test', '-c', config, '--notifier', 'ops'], one), 0);
  const none = createTestIo();
  assert.equal(await main(['alerts', 'test', '-c', config, '--notifier', 'pager'], none), 78);
  assert.match(none.err.join(''), /No notifier "pager" in alerts\.notify\n {2}hint: configured: ops, chat/);
});
