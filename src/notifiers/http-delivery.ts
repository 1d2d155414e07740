import * as v from 'valibot';
import { durationSchema } from '../duration.ts';
import { postBody, type PostOptions } from './http-post.ts';
import { DeliveryError } from './notifier.ts';

/** Options every HTTP notifier shares. */
export const httpOptions = {
  url: v.pipe(v.string(), v.url('must be a URL'), v.description('Where to POST; https:// unless allow_insecure_http')),
  allow_insecure_http: v.pipe(
    v.optional(v.boolean(), false),
    v.description('Allow http:// (alerts and secrets then travel in clear)'),
  ),
  ca_file: v.pipe(
    v.optional(v.string()),
    v.description('PEM file of a private CA to trust; certificates are always verified'),
  ),
  timeout_seconds: v.pipe(v.optional(durationSchema, 10), v.description('Deadline of one delivery attempt')),
};

/** Config-time rule: https only, unless allowed in so many words. */
export const requireHttps = (options: { url: string; allow_insecure_http: boolean }) =>
  options.allow_insecure_http || new URL(options.url).protocol === 'https:'
    ? undefined
    : {
        key: 'url',
        message:
          'must be https:// (alerts and secrets would travel in clear); set allow_insecure_http: true to allow http://',
      };

// Retry-After is seconds or an HTTP date; anything else counts as 10 s, and it is capped at 10 min (Telegraf's values).
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : (Date.parse(value) - nowMs) / 1000;
  return Math.min(600, Number.isFinite(seconds) ? Math.max(0, seconds) : 10);
}

/**
 * POSTs and turns the answer into success or a DeliveryError. Messages name only scheme, host and port: the path of
 * a Slack or Teams webhook URL is its secret.
 */
export async function deliver(url: string, body: string, options: PostOptions): Promise<void> {
  const target = new URL(url);
  const shown = target.origin;
  let answer;
  try {
    answer = await postBody(target, body, options);
  } catch (error) {
    throw new DeliveryError(`Cannot reach "${shown}": ${(error as Error).message}`, { retryable: true, cause: error });
  }
  if (answer.status >= 200 && answer.status < 300) return;
  const redirect =
    answer.status >= 300 && answer.status < 400
      ? ` (a redirect${answer.location ? ' elsewhere' : ''}, not followed)`
      : '';
  // 400, 404, 410, 413 and 422 will not change on a retry; everything else (5xx, 429, 401/403, redirects) may.
  const permanent = [400, 404, 410, 413, 422].includes(answer.status);
  throw new DeliveryError(`"${shown}" answered ${answer.status}${redirect}`, {
    retryable: !permanent,
    retryAfterSeconds: parseRetryAfter(answer.retryAfter),
  });
}
