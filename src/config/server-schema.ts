import * as v from 'valibot';
import { pathSchema } from '../schema/os-values.ts';
import { DEFAULT_LISTEN, isLoopback, parseListenAddress } from '../net/listen-address.ts';

const BCRYPT_HASH = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

const listenSchema = v.pipe(
  v.string(),
  v.check(
    (text) => parseListenAddress(text) !== undefined,
    'must be "HOST:PORT", e.g. "127.0.0.1:19100", "[::1]:19100" or "0.0.0.0:19100"',
  ),
);

const authSchema = v.strictObject({
  password_hashes: v.pipe(
    v.optional(
      v.record(
        v.pipe(v.string(), v.regex(/^[^:\s]+$/, 'user names cannot hold ":" or spaces')),
        v.pipe(
          v.string(),
          v.regex(BCRYPT_HASH, 'must be a bcrypt hash ("$2b$12$…"), e.g. from `htpasswd -nbBC 12 USER PASSWORD`'),
        ),
      ),
      {},
    ),
    v.description('Basic auth: user name to bcrypt hash'),
  ),
  bearer_tokens: v.pipe(
    v.optional(v.array(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'))), []),
    v.description('Accepted `Authorization: Bearer` tokens'),
  ),
});

/** Without auth, and without the explicit opt-out, the agent may only serve loopback. */
export const mustStayOnLoopback = (server: {
  auth: { password_hashes: Readonly<Record<string, string>>; bearer_tokens: readonly string[] };
  allow_unauthenticated_remote: boolean;
}): boolean =>
  Object.keys(server.auth.password_hashes).length === 0 &&
  server.auth.bearer_tokens.length === 0 &&
  !server.allow_unauthenticated_remote;

export const serverSchema = v.pipe(
  v.optional(
    v.pipe(
      v.strictObject({
        listen: v.pipe(v.optional(listenSchema, DEFAULT_LISTEN), v.description('Address of the agent HTTP server')),
        allow_unauthenticated_remote: v.pipe(
          v.optional(v.boolean(), false),
          v.description('Serve a non-loopback address without auth (behind a firewall you trust)'),
        ),
        allowed_hosts: v.pipe(
          v.optional(v.array(v.pipe(v.string(), v.minLength(1))), []),
          v.description(
            'Host header names accepted besides localhost, the listen address and this host name; "*" for any',
          ),
        ),
        max_connections: v.pipe(
          v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 512),
          v.description('Open connections at once; more are closed at accept'),
        ),
        tls: v.pipe(
          v.optional(v.strictObject({ cert_file: pathSchema, key_file: pathSchema })),
          v.description('Serve HTTPS (TLS 1.2 or newer) with this PEM certificate and key'),
        ),
        auth: v.pipe(v.optional(authSchema, {}), v.description('Who may read the server')),
      }),
      v.forward(
        v.check((server) => {
          const address = parseListenAddress(server.listen);
          return !address || isLoopback(address.host) || !mustStayOnLoopback(server);
        }, 'refused: a non-loopback address without auth serves this host to anyone who can reach it; set server.auth, or server.allow_unauthenticated_remote: true'),
        ['listen'],
      ),
    ),
    {},
  ),
  v.description('The HTTP server of `argus agent`: /metrics, /healthz, /api/v1/*'),
);
