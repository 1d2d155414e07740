import * as v from 'valibot';
import { pathSchema } from '../schema/os-values.ts';
import { DURATION_LIMITS, durationSchema } from '../schema/duration.ts';
import { httpUrlSchema } from './http-url.ts';

/** Options every HTTP client of Argus shares: notifiers that POST and sinks that push. */
export const httpOptions = {
  url: v.pipe(httpUrlSchema, v.description('Where to POST; https:// unless on this host or allow_insecure_http')),
  allow_insecure_http: v.pipe(
    v.optional(v.boolean(), false),
    v.description('Allow http:// to a host other than loopback (alerts and secrets then travel in clear)'),
  ),
  ca_file: v.pipe(
    v.optional(pathSchema),
    v.description('PEM file of a private CA to trust; certificates are always verified'),
  ),
  timeout_seconds: v.pipe(
    v.optional(durationSchema(DURATION_LIMITS.timeout), 10),
    v.description('Deadline of one delivery attempt'),
  ),
};

// Retry-After is seconds or an HTTP date; anything else counts as 10 s, and it is capped at 10 min (Telegraf's values).
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : (Date.parse(value) - nowMs) / 1000;
  return Math.min(600, Number.isFinite(seconds) ? Math.max(0, seconds) : 10);
}
