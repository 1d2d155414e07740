import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { Authenticator } from './auth.ts';

/** The pages one cycle produces, rendered once and served to every request until the next cycle. */
export interface Snapshot {
  metrics: Buffer;
  status: Buffer;
  /** Filled on the first scrape that accepts gzip, then reused. */
  metricsGzip?: Buffer;
}

export interface AppState {
  snapshot(): Snapshot;
  /** Monotonic milliseconds of the scheduler's last tick, and the interval it should keep. */
  lastTickMs(): number;
  intervalMs(): number;
  history?(query: URLSearchParams): Promise<{ status: number; body: Buffer }>;
}

export interface AppOptions {
  state: AppState;
  auth: Authenticator;
  /** Host header names accepted (lower case, without port); undefined accepts any. */
  allowedHosts: ReadonlySet<string> | undefined;
  monotonicMs: () => number;
  /** A handler's error: the client gets a bare 500, the operator the error with its stack. */
  onError?: (error: unknown, request: { method: string; path: string }) => void;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';
const STALE_TICKS = 3;

const LANDING = Buffer.from(
  '<!doctype html><html><head><meta charset="utf-8"><title>Argus agent</title></head><body><h1>Argus agent</h1>' +
    '<ul><li><a href="metrics">/metrics</a> Prometheus text format</li><li><a href="healthz">/healthz</a></li>' +
    '<li><a href="api/v1/status">/api/v1/status</a> latest results as JSON</li>' +
    '<li>/api/v1/history?check=&amp;instance=&amp;metric=&amp;since=&amp;until=&amp;step=</li></ul></body></html>\n',
);

/** Host header without its port: "example.org:19100" → "example.org", "[::1]:19100" → "::1". */
export function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: Buffer | string,
  headers: Record<string, string> = {},
): void {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, {
    'content-type': TEXT,
    'content-length': String(payload.length),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(request.method === 'HEAD' ? undefined : payload);
}

const acceptsGzip = (request: IncomingMessage): boolean => /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');

/**
 * Routes GET and HEAD for the agent. Every page comes from memory: no check runs and no file is read inside a
 * request, and no path reaches the file system.
 */
export function createApp(options: AppOptions): Handler {
  const { state } = options;

  const metrics = (request: IncomingMessage, response: ServerResponse): void => {
    const snapshot = state.snapshot();
    if (acceptsGzip(request)) {
      snapshot.metricsGzip ??= gzipSync(snapshot.metrics);
      send(request, response, 200, snapshot.metricsGzip, {
        'content-type': PROMETHEUS_TEXT,
        'content-encoding': 'gzip',
        vary: 'accept-encoding',
      });
      return;
    }
    send(request, response, 200, snapshot.metrics, { 'content-type': PROMETHEUS_TEXT, vary: 'accept-encoding' });
  };

  const healthz = (request: IncomingMessage, response: ServerResponse): void => {
    const sinceTickMs = options.monotonicMs() - state.lastTickMs();
    if (sinceTickMs > STALE_TICKS * state.intervalMs()) {
      send(request, response, 503, `stale: no collection cycle for ${(sinceTickMs / 1000).toFixed(0)}s\n`);
      return;
    }
    send(request, response, 200, 'ok\n');
  };

  const route = async (request: IncomingMessage, response: ServerResponse, path: string, query: string) => {
    switch (path) {
      case '/metrics':
        return metrics(request, response);
      case '/healthz':
        return healthz(request, response);
      case '/api/v1/status':
        return send(request, response, 200, state.snapshot().status, { 'content-type': JSON_TYPE });
      case '/api/v1/history': {
        if (!state.history) return send(request, response, 404, 'history is off for this agent\n');
        const answer = await state.history(new URLSearchParams(query));
        return send(request, response, answer.status, answer.body, { 'content-type': JSON_TYPE });
      }
      case '/':
        return send(request, response, 200, LANDING, { 'content-type': 'text/html; charset=utf-8' });
      default:
        return send(request, response, 404, 'not found\n');
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(request, response, 405, 'only GET and HEAD\n', { allow: 'GET, HEAD' });
      return;
    }
    // A scrape has no body: one announced is refused before it is read, and the connection is not reused.
    const length = request.headers['content-length'];
    if ((length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined) {
      send(request, response, 413, 'request bodies are not accepted\n', { connection: 'close' });
      return;
    }
    if (options.allowedHosts && !options.allowedHosts.has(hostName(request.headers.host ?? ''))) {
      send(request, response, 403, 'host not allowed (see server.allowed_hosts)\n');
      return;
    }
    const verdict = await options.auth.check(request.headers.authorization, request.socket.remoteAddress ?? '');
    if (verdict === 'denied') {
      send(request, response, 401, 'authentication required\n', {
        'www-authenticate': 'Basic realm="argus", charset="UTF-8"',
      });
      return;
    }
    if (verdict !== 'allowed') {
      const seconds = String(verdict.retryAfterSeconds);
      send(request, response, 429, `too many failed logins; retry in ${seconds} s\n`, { 'retry-after': seconds });
      return;
    }
    const url = request.url ?? '/';
    const mark = url.indexOf('?');
    await route(request, response, mark < 0 ? url : url.slice(0, mark), mark < 0 ? '' : url.slice(mark + 1));
  };

  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A bug in a handler answers 500 and keeps the server up; the client learns nothing of it, the log all.
      const url = request.url ?? '/';
      options.onError?.(error, { method: request.method ?? '', path: url.split('?')[0] ?? url });
      if (!response.headersSent) send(request, response, 500, 'internal error\n');
      else response.destroy(error as Error);
    });
  };
}
