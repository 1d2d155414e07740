import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestPki } from './test-ca.ts';

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body as sent, for compressed uploads. */
  raw: Buffer;
  method: string;
  at: number;
}

export type Answer = { status: number; headers?: Record<string, string> };

/**
 * An HTTP(S) server on 127.0.0.1 that answers from a script (then 200 for ever) and records every request.
 * Nothing leaves loopback.
 */
export async function startReceiver(options: { pki?: TestPki; port?: number; answers?: Answer[] } = {}) {
  const received: Received[] = [];
  const answers = [...(options.answers ?? [])];
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString('utf8');
      received.push({
        path: request.url ?? '',
        headers: request.headers,
        body,
        raw,
        method: request.method ?? '',
        at: Date.now(),
      });
      const answer = answers.shift() ?? { status: 200 };
      response.writeHead(answer.status, answer.headers).end('{}');
    });
  };
  const server: Server = options.pki
    ? createHttpsServer({ key: options.pki.key, cert: options.pki.cert }, handler)
    : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `${options.pki ? 'https' : 'http'}://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const receiver = await startReceiver();
  await receiver.close();
  return receiver.port;
}
