import { readFileSync } from 'node:fs';
import type * as Nodemailer from 'nodemailer';
import * as v from 'valibot';
import { hostSchema } from '../net/host-schema.ts';
import { pathSchema } from '../schema/os-values.ts';
import { DURATION_LIMITS, durationSchema } from '../schema/duration.ts';
import { importModule } from '../platform/import-module.ts';
import { defineNotifier, DeliveryError, type Notification } from './notifier.ts';

// Matching control characters is the point here, which no-control-regex cannot know.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

const address = v.pipe(v.string(), v.email('must be an e-mail address'));

/** Subject and body of the mail. Control characters leave the subject: a mount name may hold a newline. */
export function mailFor(notification: Notification, prefix: string): { subject: string; text: string } {
  const what =
    notification.kind === 'resolved' ? 'RESOLVED' : notification.kind === 'test' ? 'TEST' : notification.status;
  const subject = `${prefix} ${what} ${notification.alert} on ${notification.host}`.replace(CONTROL_CHARACTERS, ' ');
  const metrics = Object.entries(notification.metrics).map(([metric, value]) => `  ${metric} = ${value}`);
  const text = [
    `${notification.alert} on ${notification.host}: ${notification.previous_status} -> ${notification.status} (${notification.kind})`,
    '',
    notification.details,
    '',
    `Since: ${notification.starts_at}`,
    `At:    ${notification.at}`,
    ...(metrics.length > 0 ? ['', 'Metrics:', ...metrics] : []),
    '',
    `-- argus-monitor, idempotency key ${notification.idempotency_key}`,
  ].join('\n');
  return { subject, text };
}

export const emailNotifier = defineNotifier({
  description: 'Send an e-mail over SMTP with STARTTLS (or implicit TLS); certificates are always verified',
  options: v.strictObject({
    host: v.pipe(hostSchema, v.description('SMTP server: a host name or an IP address')),
    port: v.pipe(
      v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)), 587),
      v.description('587 for STARTTLS, 465 for tls'),
    ),
    security: v.pipe(
      v.optional(v.picklist(['starttls', 'tls'], 'must be starttls or tls'), 'starttls'),
      v.description('starttls: upgrade and require TLS; tls: TLS from the first byte'),
    ),
    username: v.optional(v.string()),
    password: v.pipe(v.optional(v.string()), v.description('Never logged; `argus config check` shows ***')),
    from: address,
    to: v.pipe(v.array(address), v.minLength(1, 'needs at least one recipient')),
    subject_prefix: v.optional(v.string(), '[argus]'),
    ca_file: v.pipe(v.optional(pathSchema), v.description('PEM file of a private CA to trust')),
    timeout_seconds: v.pipe(
      v.optional(durationSchema(DURATION_LIMITS.timeout), 10),
      v.description('Deadline for connecting and for each SMTP step'),
    ),
  }),
  create: (options) => {
    let transport: Nodemailer.Transporter | undefined;
    const transportOf = async (): Promise<Nodemailer.Transporter> => {
      // nodemailer stays out of the bundle and is loaded the first time a mail is sent.
      const nodemailer = (await importModule('nodemailer')) as typeof Nodemailer & { default?: typeof Nodemailer };
      const timeout = options.timeout_seconds * 1000;
      transport ??= (nodemailer.default ?? nodemailer).createTransport({
        host: options.host,
        port: options.port,
        secure: options.security === 'tls',
        requireTLS: options.security === 'starttls',
        ...(options.username ? { auth: { user: options.username, pass: options.password ?? '' } } : {}),
        tls: {
          rejectUnauthorized: true,
          minVersion: 'TLSv1.2',
          ...(options.ca_file ? { ca: readFileSync(options.ca_file) } : {}),
        },
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
      });
      return transport;
    };
    return {
      async send(notification) {
        const { subject, text } = mailFor(notification, options.subject_prefix);
        try {
          await (
            await transportOf()
          ).sendMail({
            from: options.from,
            to: options.to,
            subject,
            text,
            headers: { 'X-Argus-Idempotency-Key': notification.idempotency_key },
          });
        } catch (error) {
          const { responseCode: code, command } = error as { responseCode?: number; command?: string };
          // A 5xx to the envelope or the message is the server's final word on this mail (a rejected recipient);
          // a 5xx elsewhere (no STARTTLS, failed login) is a setup problem that may be fixed, like 4xx and network errors.
          const permanent =
            code !== undefined && code >= 500 && ['MAIL FROM', 'RCPT TO', 'DATA'].includes(command ?? '');
          throw new DeliveryError(
            `Cannot send mail through ${options.host}:${options.port}: ${(error as Error).message.split('\n')[0] ?? ''}`,
            { retryable: !permanent, cause: error },
          );
        }
      },
    };
  },
});
