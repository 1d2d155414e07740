import { promisify } from 'node:util';
import type * as Zlib from 'node:zlib';
import type { Logger } from '../log/logger.ts';
import { postBody } from '../net/http-post.ts';
import type { FileOutbox } from '../outbox/file-outbox.ts';
import { requireBuiltin } from '../platform/require-builtin.ts';
import { createOutboxSender, type OutboxSender } from './outbox-sender.ts';

// node:zlib costs ~3 ms to load; only a configured InfluxDB sink compresses anything.
let gzipPromised: ((text: string) => Promise<Buffer>) | undefined;
const gzip = (text: string): Promise<Buffer> =>
  (gzipPromised ??= promisify((requireBuiltin('node:zlib') as typeof Zlib).gzip))(text);

export type InfluxTarget =
  | {
      version: 1;
      url: string;
      database: string;
      retentionPolicy?: string | undefined;
      username?: string | undefined;
      password?: string | undefined;
    }
  | { version: 2; url: string; org: string; bucket: string; token?: string | undefined };

/** InfluxDB 1.x and 2.x say how many points of a partial write they refused: "partial write: … dropped=2". */
export function partialWriteDropped(body: string): number | undefined {
  const match = /partial write[^]*?dropped=(\d+)/.exec(body);
  return match ? Number(match[1]) : undefined;
}

/** The write endpoint and headers; credentials go in headers, never in the URL (URLs end up in logs). */
export function writeRequest(target: InfluxTarget): { url: URL; headers: Record<string, string> } {
  const base = target.url.endsWith('/') ? target.url : `${target.url}/`;
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    'content-encoding': 'gzip',
    'user-agent': 'argus-monitor',
  };
  if (target.version === 1) {
    const url = new URL('write', base);
    url.searchParams.set('db', target.database);
    if (target.retentionPolicy) url.searchParams.set('rp', target.retentionPolicy);
    url.searchParams.set('precision', 'ms');
    if (target.username !== undefined)
      headers.authorization = `Basic ${Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64')}`;
    return { url, headers };
  }
  const url = new URL('api/v2/write', base);
  url.searchParams.set('org', target.org);
  url.searchParams.set('bucket', target.bucket);
  url.searchParams.set('precision', 'ms');
  if (target.token !== undefined) headers.authorization = `Token ${target.token}`;
  return { url, headers };
}

export interface InfluxSenderOptions {
  outbox: FileOutbox<string>;
  target: InfluxTarget;
  batchSize: number;
  timeoutMs: number;
  caFile?: string | undefined;
  logger: Logger;
}

/** Drains the outbox to InfluxDB (outbox-sender.ts): gzipped line protocol, partial writes counted as such. */
export function createInfluxSender(options: InfluxSenderOptions): OutboxSender {
  const { url, headers } = writeRequest(options.target);
  return createOutboxSender({
    outbox: options.outbox,
    batchSize: options.batchSize,
    logger: options.logger,
    receiver: {
      name: 'InfluxDB',
      shown: url.origin,
      send: async (lines) => {
        const body = await gzip(`${lines.join('\n')}\n`);
        return postBody(url, body, { headers, timeoutMs: options.timeoutMs, caFile: options.caFile });
      },
      refused: (answer, count) => partialWriteDropped(answer.body) ?? count,
    },
  });
}
