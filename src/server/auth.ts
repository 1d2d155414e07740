import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createBcryptPool, type BcryptPool } from './bcrypt-pool.ts';
import { createFailureLimiter, type FailureLimiter } from './failure-limiter.ts';

export interface AuthSettings {
  password_hashes: Readonly<Record<string, string>>;
  bearer_tokens: readonly string[];
}

/** A verdict, or how long the client must wait before it is judged again (answered 429 with Retry-After). */
export type AuthOutcome = 'allowed' | 'denied' | { retryAfterSeconds: number };

export interface Authenticator {
  /** `client` is the peer's address: failures are counted per address. */
  check(authorization: string | undefined, client: string): Promise<AuthOutcome> | AuthOutcome;
  close(): Promise<void>;
}

export interface AuthLimits {
  /** Passwords proven right, remembered; wrong ones never take their places. */
  verified: number;
  /** Wrong user:password pairs remembered, so a flood repeating one costs no bcrypt. */
  rejected: number;
  /** bcrypt compares waiting behind the running one; past it, 429 at once. */
  queued: number;
  /** Failed tries per client address within `windowMs` before it must wait for the window's end. */
  failuresPerWindow: number;
  windowMs: number;
  /** The bcrypt thread stops after this long without work. */
  idleMs: number;
  nowMs: () => number;
  onThreadStart?: () => void;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  verified: 64,
  rejected: 1024,
  queued: 4,
  failuresPerWindow: 10,
  windowMs: 60_000,
  idleMs: 10_000,
  nowMs: Date.now,
};

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
const costOf = (hash: string): number => Number(/^\$2[aby]\$(\d\d)\$/.exec(hash)?.[1] ?? 10);

/** A Set that forgets its oldest entries past a size. */
function boundedSet(limit: number) {
  const entries = new Set<string>();
  return {
    has: (key: string) => entries.has(key),
    add(key: string) {
      entries.add(key);
      if (entries.size > limit) entries.delete(entries.values().next().value as string);
    },
  };
}

/**
 * Bearer tokens compare in constant time (SHA-256 of both, then timingSafeEqual, so lengths leak nothing).
 * Basic auth runs bcrypt (~60 ms of CPU at cost 10, ~250 ms at 12) on a thread of its own, one compare at a time
 * behind a short queue. A password once proven right is answered from memory: a scraper sending it every 15 s
 * pays once, and never waits behind anyone's bcrypt. Wrong passwords are remembered apart from right ones, so a
 * flood cannot evict a scraper's entry, and each client address may fail only so often per minute.
 */
export function createAuthenticator(settings: AuthSettings, limits: AuthLimits = DEFAULT_AUTH_LIMITS): Authenticator {
  const tokens = settings.bearer_tokens.map(digest);
  const users = new Map(Object.entries(settings.password_hashes));
  // Cache keys are keyed hashes: memory holds no password, nor a plain hash of one to crack offline.
  const cacheKey = randomBytes(32);
  const verified = boundedSet(limits.verified);
  const rejected = boundedSet(limits.rejected);
  const limiter: FailureLimiter = createFailureLimiter({
    maxFailures: limits.failuresPerWindow,
    windowMs: limits.windowMs,
    maxClients: 4096,
  });
  let pool: BcryptPool | undefined;
  const decoyCost = Math.max(...[...users.values()].map(costOf));

  const failed = (key: string, client: string): 'denied' => {
    rejected.add(key);
    limiter.fail(client, limits.nowMs());
    return 'denied';
  };

  const checkBasic = (encoded: string, client: string): Promise<AuthOutcome> | AuthOutcome => {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return 'denied';
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const key = createHmac('sha256', cacheKey).update(decoded).digest('base64');
    if (verified.has(key)) return 'allowed';
    const wait = limiter.retryAfterSeconds(client, limits.nowMs());
    if (wait > 0) return { retryAfterSeconds: wait };
    if (rejected.has(key)) return failed(key, client);
    pool ??= createBcryptPool({
      decoyCost,
      maxQueued: limits.queued,
      idleMs: limits.idleMs,
      ...(limits.onThreadStart ? { onThreadStart: limits.onThreadStart } : {}),
    });
    const hash = users.get(user);
    const compared = pool.compare(password, hash);
    if (compared === 'busy') return { retryAfterSeconds: 1 };
    return compared.then((ok) => {
      if (!ok) return failed(key, client);
      verified.add(key);
      return 'allowed';
    });
  };

  return {
    check(authorization, client) {
      if (tokens.length === 0 && users.size === 0) return 'allowed';
      if (!authorization) return 'denied';
      const space = authorization.indexOf(' ');
      const scheme = authorization.slice(0, space).toLowerCase();
      const credentials = authorization.slice(space + 1).trim();
      if (space <= 0 || credentials === '') return 'denied';
      if (scheme === 'bearer' && tokens.length > 0) {
        const offered = digest(credentials);
        let ok = false;
        for (const token of tokens) ok = timingSafeEqual(offered, token) || ok;
        return ok ? 'allowed' : 'denied';
      }
      if (scheme === 'basic' && users.size > 0) return checkBasic(credentials, client);
      return 'denied';
    },
    close: () => pool?.close() ?? Promise.resolve(),
  };
}
