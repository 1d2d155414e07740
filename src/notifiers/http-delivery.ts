import { postBody, type PostOptions } from '../net/http-post.ts';
import { parseRetryAfter } from '../net/http-options.ts';
import { isLocalUrl } from '../net/http-url.ts';
import { DeliveryError } from './notifier.ts';

/**
 * Config-time rule: https only, unless the receiver is on this host (loopback traffic never leaves it, as for the
 * sinks) or plain http is allowed in so many words.
 */
export const requireHttps = (options: { url: string; allow_insecure_http: boolean }) =>
  options.allow_insecure_http || new URL(options.url).protocol === 'https:' || isLocalUrl(options.url)
    ? undefined
    : {
        key: 'url',
        message:
          'must be https:// unless the receiver is on this host (alerts and secrets would travel in clear); set allow_insecure_http: true to allow http://',
      };

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
