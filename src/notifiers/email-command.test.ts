import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import * as v from 'valibot';
import { createTestPki } from '../../test/helpers/test-ca.ts';
import type { AlertEvent } from '../alerts/alert-state.ts';
import { commandNotifier } from './command.ts';
import { toNotification } from './dispatcher.ts';
import { emailNotifier, mailFor } from './email.ts';
import type { DeliveryError } from './notifier.ts';

const pki = createTestPki();
const servers: SMTPServer[] = [];
after(() => Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))));

interface Mail {
  secure: boolean;
  to: string[];
  raw: string;
}

/** A fake SMTP server on 127.0.0.1, with or without STARTTLS, that keeps what it receives. */
async function smtp(options: {
  starttls: boolean;
  rejectRecipient?: boolean;
}): Promise<{ port: number; mails: Mail[] }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    key: pki.key,
    cert: pki.cert,
    authOptional: true,
    hideSTARTTLS: !options.starttls,
    disabledCommands: options.starttls ? [] : ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!options.rejectRecipient) return callback();
      callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        mails.push({ secure: session.secure, to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw });
        callback();
      });
    },
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, mails };
}

const HOSTILE = `$(touch /tmp/argus-pwned) "quoted" 'single'\nnext line`;
const event: AlertEvent = {
  kind: 'firing',
  key: 'disk//mnt/evil\nname',
  check: 'disk',
  instance: '/mnt/evil\nname',
  status: 'CRIT',
  previous: 'OK',
  startsAt: 1000,
  at: 1060,
  details: `/mnt/evil: 97% used ${HOSTILE}`,
  metrics: { used_percent: 97 },
};
const notification = toNotification(event, 'web1');

const decodeQuotedPrintable = (text: string): string =>
  text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

const mailer = (port: number, extra: Record<string, unknown> = {}) =>
  emailNotifier.create(
    v.parse(emailNotifier.options, {
      host: '127.0.0.1',
      port,
      from: 'argus@example.com',
      to: ['ops@example.com'],
      ca_file: pki.caFile,
      timeout_seconds: 3,
      ...extra,
    }),
  );

test('email goes out over STARTTLS with the details verbatim and a clean subject', async () => {
  const server = await smtp({ starttls: true });
  await mailer(server.port).send(notification);
  const [mail] = server.mails;
  assert.equal(mail?.secure, true, 'the session was upgraded to TLS');
  assert.deepEqual(mail?.to, ['ops@example.com']);
  assert.match(mail?.raw ?? '', /^Subject: \[argus\] CRIT disk\/\/mnt\/evil name on web1\r$/m);
  assert.ok(
    decodeQuotedPrintable(mail?.raw ?? '')
      .replace(/\r\n/g, '\n')
      .includes(HOSTILE),
    'details arrive verbatim',
  );
  assert.match(mail?.raw ?? '', new RegExp(`^X-Argus-Idempotency-Key: ${notification.idempotency_key}\\r$`, 'm'));
  assert.equal(
    mailFor({ ...notification, kind: 'resolved' }, '[x]').subject,
    '[x] RESOLVED disk//mnt/evil name on web1',
  );
});

test('email refuses a server without STARTTLS, and a rejected recipient is final', async () => {
  const plain = await smtp({ starttls: false });
  await assert.rejects(
    mailer(plain.port).send(notification),
    (error: DeliveryError) => error.retryable && /Cannot send mail through 127\.0\.0\.1/.test(error.message),
  );
  assert.equal(plain.mails.length, 0, 'nothing was sent in clear');
  const picky = await smtp({ starttls: true, rejectRecipient: true });
  await assert.rejects(mailer(picky.port).send(notification), (error: DeliveryError) => !error.retryable);
  const rogue = createTestPki('Someone Else');
  await assert.rejects(
    mailer((await smtp({ starttls: true })).port, { ca_file: rogue.caFile }).send(notification),
    (error: DeliveryError) => error.retryable,
  );
});

test('command notifier passes the alert on stdin and in the environment, and never runs a shell', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-notify-cmd-'));
  const out = join(dir, 'received.json');
  const script = `const fs = require('fs'); const input = fs.readFileSync(0, 'utf8'); fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify({ input, env: process.env }));`;
  await commandNotifier
    .create(v.parse(commandNotifier.options, { argv: [process.execPath, '-e', script, HOSTILE] }))
    .send(notification);
  const received = JSON.parse(readFileSync(out, 'utf8')) as { input: string; env: Record<string, string> };
  assert.deepEqual(JSON.parse(received.input), notification);
  assert.equal(received.env.ARGUS_DETAILS, notification.details);
  assert.equal(received.env.ARGUS_INSTANCE, '/mnt/evil\nname');
  assert.equal(received.env.ARGUS_STATUS, 'CRIT');
  assert.equal(received.env.HOME, undefined, 'a minimal environment');
  assert.equal(existsSync('/tmp/argus-pwned'), false, 'nothing in the alert was executed');
  const failing = commandNotifier.create(
    v.parse(commandNotifier.options, { argv: ['sh', '-c', 'echo "pager down" >&2; exit 3'] }),
  );
  await assert.rejects(
    failing.send(notification),
    (error: DeliveryError) => error.retryable && error.message === 'Command "sh" exited 3: pager down',
  );
  const slow = commandNotifier.create(
    v.parse(commandNotifier.options, { argv: ['sleep', '30'], timeout_seconds: 0.2 }),
  );
  await assert.rejects(slow.send(notification), /timed out after 0\.2s/);
});
