import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { Authenticator } from './auth.ts';
import { DASHBOARD_CSP, type StaticFile } from './dashboard-files.ts';

/** The pages one cycle produces, rendered once and served to every request until the next cycle. */
export interface Snapshot {
  /** Argus' own series of the last cycle (argus_*). */
  metrics: Buffer;
  status: Buffer;
}

/** A /metrics body; gzip is filled by the first scrape that accepts it, then reused while the body is. */
export interface MetricsBody {
  plain: Buffer;
  gzip?: Buffer;
}

export interface AppState {
  snapshot(): Snapshot;
  /** The whole /metrics text: node_exporter's series read now (coalesced), then the cycle's own. */
  metrics(): Promise<MetricsBody>;
  /** Monotonic milliseconds of the scheduler's last tick, and the interval it should keep. */
  lastTickMs(): number;
  intervalMs(): number;
  history?(query: URLSearchParams): Promise<{ status: number; body: Buffer }>;
  /** The top processes, read at most once a second (server/processes-api.ts). */
  processes?(query: URLSearchParams): Promise<{ status: number; body: Buffer }>;
  /** The recent alert events and their deliveries, as JSON (engine/alert-journal.ts). */
  alerts?(): Buffer;
  /** Charts of the history for the dashboard (server/charts-api.ts). */
  charts?(query: URLSearchParams): Promise<{ status: number; body: Buffer }>;
  /** The dashboard's page and assets by path (server/dashboard-files.ts); without it `/` is a page of links. */
  dashboard?(): ReadonlyMap<string, StaticFile>;
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

/** What a route needs of a request: nothing of the socket, so a test can build one (`app.request()`). */
export interface AppRequest {
  method: string;
  /** The path without the query: "/api/v1/history". */
  path: string;
  /** The query string without "?", "" when there is none. */
  query: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The peer's address: failed logins are counted per address. */
  client: string;
}

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  /** Sent as is; HEAD answers carry its length and no body. */
  body: Buffer;
}

export interface App {
  /** Answers one request; never throws (a handler's error is a logged 500). */
  fetch(request: AppRequest): Promise<AppResponse>;
  /** In-process requests for tests, in Hono's style: `await app.request('/metrics', { headers })`. */
  request(
    url: string,
    init?: { method?: string; headers?: Record<string, string>; client?: string },
  ): Promise<AppResponse>;
  /** The node:http handler that feeds fetch(). */
  handle: Handler;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

type Route = (request: AppRequest) => AppResponse | Promise<AppResponse>;

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';
const STALE_TICKS = 3;

const LANDING = Buffer.from(
  '<!doctype html><html><head><meta charset="utf-8"><title>Argus agent</title></head><body><h1>Argus agent</h1>' +
    '<ul><li><a href="metrics">/metrics</a> Prometheus text format</li><li><a href="healthz">/healthz</a></li>' +
    '<li><a href="api/v1/status">/api/v1/status</a> latest results as JSON</li>' +
    '<li>/api/v1/history?check=&amp;instance=&amp;metric=&amp;since=&amp;until=&amp;step=</li>' +
    '<li><a href="api/v1/processes">/api/v1/processes</a>?sort=cpu|memory|io|time&amp;limit=20</li></ul></body></html>\n',
);

/** Host header without its port: "example.org:19100" → "example.org", "[::1]:19100" → "::1". */
export function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

const answer = (status: number, body: Buffer | string, headers: Record<string, string> = {}): AppResponse => ({
  status,
  body: typeof body === 'string' ? Buffer.from(body) : body,
  headers: { 'content-type': TEXT, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...headers },
});

/**
 * A JSON answer, gzipped (at level 1: a few ms for the 300 KB of a month of charts) when the client takes it and it
 * is worth it: history and charts answers run to hundreds of KB, which a dashboard over a VPN feels.
 */
function jsonAnswer(request: AppRequest, result: { status: number; body: Buffer }): AppResponse {
  const headers = { 'content-type': JSON_TYPE, vary: 'accept-encoding' };
  if (result.body.length < 2048 || !/\bgzip\b/.test(header(request, 'accept-encoding') ?? ''))
    return answer(result.status, result.body, headers);
  return answer(result.status, gzipSync(result.body, { level: 1 }), { ...headers, 'content-encoding': 'gzip' });
}

const header = (request: AppRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * The agent's HTTP app: GET and HEAD, a route table, and before any route the body, Host and auth checks. Every page
 * comes from memory: no check runs and no file is read inside a request, and no path reaches the file system.
 */
export function createApp(options: AppOptions): App {
  const { state } = options;

  const routes: Readonly<Record<string, Route>> = {
    '/metrics': async (request) => {
      const body = await state.metrics();
      if (/\bgzip\b/.test(header(request, 'accept-encoding') ?? '')) {
        body.gzip ??= gzipSync(body.plain);
        return answer(200, body.gzip, {
          'content-type': PROMETHEUS_TEXT,
          'content-encoding': 'gzip',
          vary: 'accept-encoding',
        });
      }
      return answer(200, body.plain, { 'content-type': PROMETHEUS_TEXT, vary: 'accept-encoding' });
    },
    '/healthz': () => {
      const sinceTickMs = options.monotonicMs() - state.lastTickMs();
      if (sinceTickMs > STALE_TICKS * state.intervalMs())
        return answer(503, `stale: no collection cycle for ${(sinceTickMs / 1000).toFixed(0)}s\n`);
      return answer(200, 'ok\n');
    },
    '/api/v1/status': () => answer(200, state.snapshot().status, { 'content-type': JSON_TYPE }),
    '/api/v1/history': async (request) => {
      if (!state.history) return answer(404, 'history is off for this agent\n');
      const result = await state.history(new URLSearchParams(request.query));
      return jsonAnswer(request, result);
    },
    '/api/v1/processes': async (request) => {
      if (!state.processes) return answer(404, 'processes are not served by this agent\n');
      const result = await state.processes(new URLSearchParams(request.query));
      return answer(result.status, result.body, { 'content-type': JSON_TYPE });
    },
    '/api/v1/alerts': () =>
      state.alerts
        ? answer(200, state.alerts(), { 'content-type': JSON_TYPE })
        : answer(404, 'alerts are not served by this agent\n'),
    '/api/v1/charts': async (request) => {
      if (!state.charts) return answer(404, 'history is off for this agent\n');
      const result = await state.charts(new URLSearchParams(request.query));
      return jsonAnswer(request, result);
    },
    '/': () => answer(200, LANDING, { 'content-type': 'text/html; charset=utf-8' }),
  };

  /** The dashboard's files, compressed when the client takes gzip; the page carries the strict CSP. */
  const serveFile = (request: AppRequest, file: StaticFile): AppResponse => {
    const gzip = /\bgzip\b/.test(header(request, 'accept-encoding') ?? '');
    return answer(200, gzip ? file.gzip : file.body, {
      'content-type': file.type,
      'cache-control': file.cacheControl,
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...(file.type.startsWith('text/html')
        ? { 'content-security-policy': DASHBOARD_CSP, 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' }
        : {}),
    });
  };

  const route = async (request: AppRequest): Promise<AppResponse> => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return answer(405, 'only GET and HEAD\n', { allow: 'GET, HEAD' });
    // A scrape has no body: one announced is refused before it is read, and the connection is not reused.
    const length = header(request, 'content-length');
    if ((length !== undefined && length !== '0') || header(request, 'transfer-encoding') !== undefined)
      return answer(413, 'request bodies are not accepted\n', { connection: 'close' });
    if (options.allowedHosts && !options.allowedHosts.has(hostName(header(request, 'host') ?? '')))
      return answer(403, 'host not allowed (see server.allowed_hosts)\n');
    const verdict = await options.auth.check(header(request, 'authorization'), request.client);
    if (verdict === 'denied')
      return answer(401, 'authentication required\n', { 'www-authenticate': 'Basic realm="argus", charset="UTF-8"' });
    if (verdict !== 'allowed') {
      const seconds = String(verdict.retryAfterSeconds);
      return answer(429, `too many failed logins; retry in ${seconds} s\n`, { 'retry-after': seconds });
    }
    // Exact paths only: "/metrics/", "/static/../x" and percent-encoded tricks are simply not in the tables.
    const file = state.dashboard?.().get(request.path);
    if (file) return serveFile(request, file);
    const handler = Object.hasOwn(routes, request.path) ? routes[request.path] : undefined;
    return handler ? handler(request) : answer(404, 'not found\n');
  };

  const fetch = async (request: AppRequest): Promise<AppResponse> => {
    try {
      return await route(request);
    } catch (error) {
      // A bug in a handler answers 500 and keeps the server up; the client learns nothing of it, the log all.
      options.onError?.(error, { method: request.method, path: request.path });
      return answer(500, 'internal error\n');
    }
  };

  const handle: Handler = (incoming, response) => {
    const url = incoming.url ?? '/';
    const mark = url.indexOf('?');
    void fetch({
      method: incoming.method ?? 'GET',
      path: mark < 0 ? url : url.slice(0, mark),
      query: mark < 0 ? '' : url.slice(mark + 1),
      headers: incoming.headers,
      client: incoming.socket.remoteAddress ?? '',
    }).then((result) => {
      result.headers['content-length'] = String(result.body.length);
      response.writeHead(result.status, result.headers);
      response.end(incoming.method === 'HEAD' ? undefined : result.body);
    });
  };

  return {
    fetch,
    handle,
    request(url, init = {}) {
      const mark = url.indexOf('?');
      return fetch({
        method: init.method ?? 'GET',
        path: mark < 0 ? url : url.slice(0, mark),
        query: mark < 0 ? '' : url.slice(mark + 1),
        headers: Object.fromEntries(
          Object.entries(init.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
        ),
        client: init.client ?? '127.0.0.1',
      });
    },
  };
}
