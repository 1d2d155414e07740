import { readFileSync } from 'node:fs';
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import { requireBuiltin } from '../platform/require-builtin.ts';

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  /** PEM bundle trusted in addition to nothing else: a private CA. Certificates are always verified. */
  caFile?: string | undefined;
}

export interface PostAnswer {
  status: number;
  retryAfter: string | undefined;
  location: string | undefined;
  body: string;
}

const MAX_BODY = 64 * 1024;

/**
 * POSTs a body and reads at most 64 KiB of the answer. Redirects are not followed (a moved endpoint is a config
 * problem, and following one would send alerts where nobody configured them), and the whole exchange has one
 * deadline, since a receiver that trickles a byte a second must not hold a notification forever.
 */
export function postBody(url: URL, body: string | Buffer, options: PostOptions): Promise<PostAnswer> {
  // Loaded on first use: the TLS stack costs ~5 ms, and every `argus` run builds the notifier schema.
  const send =
    url.protocol === 'https:'
      ? (requireBuiltin('node:https') as typeof Https).request
      : (requireBuiltin('node:http') as typeof Http).request;
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: 'POST',
      headers: { 'content-length': String(Buffer.byteLength(body)), ...options.headers },
      ...(options.caFile ? { ca: readFileSync(options.caFile) } : {}),
      rejectUnauthorized: true,
      timeout: options.timeoutMs,
    });
    const deadline = setTimeout(
      () => request.destroy(new Error(`no answer within ${options.timeoutMs / 1000}s`)),
      options.timeoutMs,
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs / 1000}s`)));
    request.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY) chunks.push(chunk.subarray(0, MAX_BODY - size));
        size += chunk.length;
      });
      response.on('end', () => {
        clearTimeout(deadline);
        const header = (name: string): string | undefined => {
          const value = response.headers[name];
          return Array.isArray(value) ? value[0] : value;
        };
        resolve({
          status: response.statusCode ?? 0,
          retryAfter: header('retry-after'),
          location: header('location'),
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      response.on('error', reject);
    });
    request.end(body);
  });
}
