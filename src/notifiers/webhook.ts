import type * as Crypto from 'node:crypto';
import * as v from 'valibot';
import { requireBuiltin } from '../platform/require-builtin.ts';
import { httpOptions } from '../net/http-options.ts';
import { deliver, requireHttps } from './http-delivery.ts';
import { defineNotifier } from './notifier.ts';

/**
 * The signature a receiver checks: HMAC-SHA256 over "<timestamp>.<body>" with the shared secret, hex, sent as
 * `X-Argus-Signature: sha256=<hex>` beside `X-Argus-Timestamp` (reject old timestamps to stop replays).
 */
export const signBody = (secret: string, timestamp: string, body: string): string =>
  `sha256=${(requireBuiltin('node:crypto') as typeof Crypto)
    .createHmac('sha256', secret)
    .update(`${timestamp}.${body}`)
    .digest('hex')}`;

export const webhookNotifier = defineNotifier({
  description: 'POST the alert as JSON, signed with HMAC-SHA256 when a secret is set',
  options: v.strictObject({
    ...httpOptions,
    secret: v.pipe(
      v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'))),
      v.description('Shared secret for the X-Argus-Signature header'),
    ),
  }),
  validate: requireHttps,
  create: (options) => ({
    async send(notification) {
      const body = JSON.stringify(notification);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'argus-monitor',
        'idempotency-key': notification.idempotency_key,
      };
      if (options.secret) {
        headers['x-argus-timestamp'] = timestamp;
        headers['x-argus-signature'] = signBody(options.secret, timestamp, body);
      }
      await deliver(options.url, body, { headers, timeoutMs: options.timeout_seconds * 1000, caFile: options.ca_file });
    },
  }),
});
