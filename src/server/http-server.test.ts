import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../errors.ts';
import { startHttpServer } from './http-server.ts';

const handler = () => undefined;

test('startHttpServer() refuses to serve without auth when the address it bound is not loopback', async () => {
  await assert.rejects(
    startHttpServer({ address: { host: '0.0.0.0', port: 0 }, handler, maxConnections: 1, requireLoopback: true }),
    (error: unknown) =>
      error instanceof UserError && /resolved to 0\.0\.0\.0, which is not loopback/.test(error.message),
  );
  const local = await startHttpServer({
    address: { host: 'localhost', port: 0 },
    handler,
    maxConnections: 1,
    requireLoopback: true,
  });
  assert.match(local.url, /^http:\/\/(127\.0\.0\.1|\[::1\]):\d+$/);
  await local.close();
});
