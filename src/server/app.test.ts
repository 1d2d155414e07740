import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { after, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import bcrypt from 'bcryptjs';
import { createTestPki } from '../../test/helpers/test-ca.ts';
import { dashboardFiles } from './dashboard-files.ts';
import { createApp, hostName, type AppState } from './app.ts';
import { createAuthenticator } from './auth.ts';
import { startHttpServer, type RunningServer } from './http-server.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function fetchRaw(
  server: RunningServer,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port: server.address.port, path, method: options.method ?? 'GET', headers: options.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

let now = 10_000;
const metricsBody = { plain: Buffer.from('argus_up 1\n') };
const state: AppState = {
  snapshot: () => ({ metrics: Buffer.from('argus_up 1\n'), status: Buffer.from('{"results":[]}\n') }),
  metrics: () => Promise.resolve(metricsBody),
  lastTickMs: () => 10_000,
  intervalMs: () => 1000,
};

const servers: RunningServer[] = [];
after(async () => {
  for (const server of servers) await server.close(100);
});

async function serve(
  settings: Partial<Parameters<typeof createAuthenticator>[0]> = {},
  allowed?: string[],
  listen: { maxConnections?: number; tls?: { cert_file: string; key_file: string } } = {},
) {
  const server = await startHttpServer({
    address: { host: '127.0.0.1', port: 0 },
    maxConnections: listen.maxConnections ?? 4,
    tls: listen.tls,
    handler: appWith(settings, allowed).handle,
  });
  servers.push(server);
  return server;
}

/** The app in-process, in Hono's style: app.request('/metrics') needs no socket. */
const appWith = (settings: Partial<Parameters<typeof createAuthenticator>[0]> = {}, allowed?: string[]) =>
  createApp({
    state,
    auth: createAuthenticator({ password_hashes: {}, bearer_tokens: [], ...settings }),
    allowedHosts: allowed ? new Set(allowed) : undefined,
    monotonicMs: () => now,
  });

test('app serves the cached exposition with the 0.0.4 content type, gzipped on request', async () => {
  const app = appWith();
  const plain = await app.request('/metrics');
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(plain.body.toString(), 'argus_up 1\n');
  const zipped = await app.request('/metrics', { headers: { 'Accept-Encoding': 'gzip, deflate' } });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(zipped.body).toString(), 'argus_up 1\n');
});

test('the node:http adapter answers HEAD with the length and no body, and GET with both', async () => {
  const server = await serve();
  const head = await fetchRaw(server, '/metrics', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal(head.headers['content-length'], String('argus_up 1\n'.length));
  const get = await fetchRaw(server, '/metrics?x=1');
  assert.equal(get.body.toString(), 'argus_up 1\n');
  assert.equal(get.headers['x-content-type-options'], 'nosniff');
  const body = await fetchRaw(server, '/metrics', { headers: { 'content-length': '5' }, body: 'hello' });
  assert.equal(body.status, 413);
  assert.equal(body.headers.connection, 'close');
});

test('app answers /healthz 503 once the scheduler missed three intervals', async () => {
  const app = appWith();
  now = 12_500;
  assert.equal((await app.request('/healthz')).status, 200);
  now = 13_001;
  const stale = await app.request('/healthz');
  assert.equal(stale.status, 503);
  assert.match(stale.body.toString(), /no collection cycle for 3s/);
  now = 10_000;
});

test('app refuses other methods, request bodies, unknown paths and path tricks', async () => {
  const app = appWith();
  const post = await app.request('/metrics', { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
  assert.equal((await app.request('/metrics', { method: 'DELETE' })).status, 405);
  assert.equal((await app.request('/metrics', { headers: { 'content-length': '5' } })).status, 413);
  assert.equal((await app.request('/metrics', { headers: { 'transfer-encoding': 'chunked' } })).status, 413);
  for (const path of ['/../../etc/passwd', '/static/..%2f..%2fetc/passwd', '/metrics/', '/constructor', '/__proto__'])
    assert.equal((await app.request(path)).status, 404, path);
  const status = await app.request('/api/v1/status?x=1');
  assert.equal(status.status, 200);
  assert.equal(status.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(status.headers['access-control-allow-origin'], undefined, 'no CORS by default');
  assert.equal((await app.request('/api/v1/history')).status, 404);
  assert.match((await app.request('/')).body.toString(), /href="metrics"/);
});

test('app rejects Host headers outside the allowed names (DNS rebinding)', async () => {
  const app = appWith({}, ['localhost', '127.0.0.1']);
  assert.equal((await app.request('/metrics', { headers: { host: 'evil.example:19100' } })).status, 403);
  assert.equal((await app.request('/metrics', { headers: { host: 'localhost:19100' } })).status, 200);
  assert.equal((await app.request('/metrics', { headers: { host: 'LOCALHOST' } })).status, 200);
});

test('hostName() strips ports and IPv6 brackets', () => {
  assert.equal(hostName('Example.org:19100'), 'example.org');
  assert.equal(hostName('[::1]:19100'), '::1');
  assert.equal(hostName('10.0.0.1'), '10.0.0.1');
});

test('app with bearer tokens accepts only a listed token', async () => {
  const app = appWith({ bearer_tokens: ['s3cret-token-0123456789'] });
  const none = await app.request('/metrics');
  assert.equal(none.status, 401);
  assert.ok(none.headers['www-authenticate']);
  const status = async (authorization: string) =>
    (await app.request('/metrics', { headers: { authorization } })).status;
  assert.equal(await status('Bearer s3cret-token-0123456788'), 401);
  assert.equal(await status('Bearer s3cret'), 401);
  assert.equal(await status('Bearer s3cret-token-0123456789'), 200);
  assert.equal(await status('Basic !!!'), 401);
  assert.equal((await app.request('/healthz', { headers: { authorization: 'Bearer' } })).status, 401);
});

test('app with bcrypt users checks basic auth, and unknown users cost a compare too', async () => {
  const hash = bcrypt.hashSync('correct horse', 4);
  const app = appWith({ password_hashes: { prometheus: hash } });
  const status = async (user: string, password: string) =>
    (
      await app.request('/metrics', {
        headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
      })
    ).status;
  assert.equal(await status('prometheus', 'correct horse'), 200);
  assert.equal(await status('prometheus', 'wrong'), 401);
  assert.equal(await status('nobody', 'correct horse'), 401);
  assert.equal((await app.request('/metrics', { headers: { authorization: 'Basic Og==' } })).status, 401);
  // Remembered answers stay right: the same wrong password is still refused, the right one still accepted.
  assert.equal(await status('prometheus', 'wrong'), 401);
  assert.equal(await status('prometheus', 'correct horse'), 200);
});

test('http server closes a connection that trickles its headers (slowloris)', async () => {
  const server = await serve();
  const socket = connect(server.address.port, '127.0.0.1');
  socket.write('GET /metrics HTTP/1.1\r\nHost: localhost\r\n');
  const closed = await new Promise<string>((resolve) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('close', () => resolve(received));
  });
  assert.match(closed, /^HTTP\/1\.1 408/);
});

test('startHttpServer() turns a busy port into one clear error', async () => {
  const first = await serve();
  await assert.rejects(
    startHttpServer({
      address: { host: '127.0.0.1', port: first.address.port },
      maxConnections: 1,
      handler: () => undefined,
    }),
    /Cannot listen on 127\.0\.0\.1:\d+: the address is in use/,
  );
});

test('startHttpServer() refuses missing TLS files with the path in the message', async () => {
  await assert.rejects(
    startHttpServer({
      address: { host: '127.0.0.1', port: 0 },
      maxConnections: 1,
      handler: () => undefined,
      tls: { cert_file: '/nonexistent/cert.pem', key_file: '/nonexistent/key.pem' },
    }),
    /Cannot read TLS certificate "\/nonexistent\/cert\.pem"/,
  );
});

test('startHttpServer() with TLS serves HTTPS 1.2 and newer only', async () => {
  const pki = createTestPki();
  const dir = mkdtempSync(join(tmpdir(), 'argus-tls-'));
  writeFileSync(join(dir, 'cert.pem'), pki.cert);
  writeFileSync(join(dir, 'key.pem'), pki.key);
  const server = await serve({}, undefined, {
    tls: { cert_file: join(dir, 'cert.pem'), key_file: join(dir, 'key.pem') },
  });
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const handshake = (version: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3') =>
    new Promise<string>((resolve) => {
      const socket = tlsConnect({
        host: '127.0.0.1',
        port: server.address.port,
        ca: readFileSync(pki.caFile),
        servername: 'localhost',
        minVersion: version,
        maxVersion: version,
        // The client would take TLS 1.1 (security level 0), so a refusal comes from the server's minimum.
        ciphers: 'DEFAULT@SECLEVEL=0',
      });
      socket.once('secureConnect', () => {
        resolve(socket.getProtocol() ?? '');
        socket.end();
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(`refused: ${error.code ?? error.message}`));
    });
  assert.equal(await handshake('TLSv1.2'), 'TLSv1.2');
  assert.equal(await handshake('TLSv1.3'), 'TLSv1.3');
  assert.match(await handshake('TLSv1.1'), /^refused/);
});

test('startHttpServer() closes connections past max_connections', async () => {
  const server = await serve({}, undefined, { maxConnections: 1 });
  const first = connect(server.address.port, '127.0.0.1');
  await new Promise((resolve) => first.once('connect', resolve));
  const second = connect(server.address.port, '127.0.0.1');
  const outcome = await new Promise<string>((resolve) => {
    let received = '';
    second.on('data', (chunk: Buffer) => (received += chunk.toString()));
    second.once('connect', () => second.write('GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    second.once('close', () => resolve(received === '' ? 'closed without an answer' : received));
    second.once('error', () => undefined);
  });
  assert.equal(outcome, 'closed without an answer');
  first.destroy();
});

test('app answers a failing handler with a bare 500 and hands the error, with its stack, to onError', async () => {
  const seen: { error: unknown; request: { method: string; path: string } }[] = [];
  const app = createApp({
    state: { ...state, history: () => Promise.reject(new TypeError('the history query broke')) },
    auth: createAuthenticator({ password_hashes: {}, bearer_tokens: [] }),
    allowedHosts: undefined,
    monotonicMs: () => now,
    onError: (error, request) => seen.push({ error, request }),
  });
  const answer = await app.request('/api/v1/history?check=cpu');
  assert.equal(answer.status, 500);
  assert.equal(answer.body.toString(), 'internal error\n');
  assert.deepEqual(seen[0]?.request, { method: 'GET', path: '/api/v1/history' });
  assert.match((seen[0]?.error as Error).stack ?? '', /TypeError: the history query broke\n\s+at /);
});

test('app serves /api/v1/processes as JSON when the agent gives it, 404 otherwise', async () => {
  const make = (processes?: (query: URLSearchParams) => Promise<{ status: number; body: Buffer }>) =>
    createApp({
      state: processes ? { ...state, processes } : state,
      auth: createAuthenticator({ password_hashes: {}, bearer_tokens: [] }),
      allowedHosts: undefined,
      monotonicMs: () => now,
    });
  const queries: string[] = [];
  const served = await make((query) => {
    queries.push(query.toString());
    return Promise.resolve({ status: 200, body: Buffer.from('{"processes":[]}\n') });
  }).request('/api/v1/processes?sort=memory&limit=3');
  assert.equal(served.status, 200);
  assert.match(served.headers['content-type'] ?? '', /^application\/json/);
  assert.deepEqual(queries, ['sort=memory&limit=3']);
  assert.equal((await make().request('/api/v1/processes')).status, 404);
});

test('app serves the dashboard from memory: the page under a strict CSP, hashed assets cached a year, gzip on request', async () => {
  const files = dashboardFiles({ cpu: 'usage_percent' });
  const make = (withDashboard: boolean) =>
    createApp({
      state: withDashboard
        ? {
            ...state,
            dashboard: () => files,
            charts: (query) =>
              Promise.resolve({
                status: 200,
                body: Buffer.from(
                  query.get('range') === '30d' ? `{"charts":[${'0,'.repeat(3000)}0]}` : '{"charts":[]}',
                ),
              }),
          }
        : state,
      auth: createAuthenticator({ password_hashes: {}, bearer_tokens: [] }),
      allowedHosts: undefined,
      monotonicMs: () => now,
    });
  const app = make(true);
  const page = await app.request('/');
  assert.equal(page.status, 200);
  assert.match(page.headers['content-security-policy'] ?? '', /^default-src 'none'; script-src 'self'/);
  assert.equal(page.headers['x-frame-options'], 'DENY');
  const html = page.body.toString();
  assert.match(html, /name="argus-main-metrics" content="\{&quot;cpu&quot;:&quot;usage_percent&quot;\}"/);
  const script = /src="(assets\/dashboard-[0-9a-f]{12}\.js)"/.exec(html)![1]!;
  const zipped = await app.request(`/${script}`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(zipped.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(zipped.headers['content-security-policy'], undefined, 'the policy belongs to the page');
  assert.ok(gunzipSync(zipped.body).toString().length > 10_000);
  assert.equal((await app.request('/favicon.ico')).headers['content-type'], 'image/svg+xml');
  assert.equal((await app.request('/api/v1/charts?range=1h')).status, 200);
  // A large JSON answer goes gzipped to a client that takes it; a small one, or to one that does not, as it is.
  const month = await app.request('/api/v1/charts?range=30d', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(month.headers['content-encoding'], 'gzip');
  assert.match(gunzipSync(month.body).toString(), /^\{"charts":\[0,0,/);
  const small = await app.request('/api/v1/charts?range=1h', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(small.headers['content-encoding'], undefined);
  assert.equal((await app.request('/api/v1/charts?range=30d')).headers['content-encoding'], undefined);
  // Without the dashboard (an embedding that gives none) `/` is the page of links and charts are off.
  const bare = make(false);
  assert.match((await bare.request('/')).body.toString(), /<h1>Argus agent<\/h1>/);
  assert.equal((await bare.request('/api/v1/charts')).status, 404);
  assert.equal((await bare.request(`/${script}`)).status, 404);
});

test('app serves /api/v1/alerts from the agent journal, 404 when there is none', async () => {
  const make = (alerts?: () => Buffer) =>
    createApp({
      state: alerts ? { ...state, alerts } : state,
      auth: createAuthenticator({ password_hashes: {}, bearer_tokens: [] }),
      allowedHosts: undefined,
      monotonicMs: () => now,
    });
  const served = await make(() => Buffer.from('{"enabled":true,"events":[]}\n')).request('/api/v1/alerts');
  assert.equal(served.status, 200);
  assert.match(served.headers['content-type'] ?? '', /^application\/json/);
  assert.equal((await make().request('/api/v1/alerts')).status, 404);
});
