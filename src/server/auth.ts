import type bcryptjs from 'bcryptjs';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface AuthSettings {
  password_hashes: Readonly<Record<string, string>>;
  bearer_tokens: readonly string[];
}

export type AuthOutcome = 'allowed' | 'denied';

export interface Authenticator {
  check(authorization: string | undefined): Promise<AuthOutcome>;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

const CACHE_LIMIT = 100;
const costOf = (hash: string): number => Number(/^\$2[aby]\$(\d\d)\$/.exec(hash)?.[1] ?? 10);

/**
 * Bearer tokens compare in constant time (SHA-256 of both, then timingSafeEqual, so lengths leak nothing).
 * bcrypt runs one compare at a time (each costs ~60 ms of CPU at cost 10) and remembers the last 100 answers,
 * so a scraper sending the same password every 15 s pays once, while guessing stays slow.
 */
export function createAuthenticator(settings: AuthSettings): Authenticator {
  const tokens = settings.bearer_tokens.map(digest);
  const users = new Map(Object.entries(settings.password_hashes));
  const cache = new Map<string, boolean>();
  let queue: Promise<unknown> = Promise.resolve();
  let bcrypt: Promise<{ default: typeof bcryptjs }> | undefined;
  // An unknown user is compared against a hash of the highest configured cost, so timing cannot tell which
  // user names exist.
  let decoy: Promise<string> | undefined;
  const decoyCost = Math.max(...[...users.values()].map(costOf));

  const compareOneAtATime = (password: string, hash: string | undefined): Promise<boolean> => {
    const next = queue.then(async () => {
      const { default: library } = await (bcrypt ??= import('bcryptjs'));
      decoy ??= library.hash(randomBytes(16).toString('hex'), decoyCost);
      return library.compare(password, hash ?? (await decoy));
    });
    queue = next.catch(() => undefined);
    return next;
  };

  const checkBasic = async (encoded: string): Promise<AuthOutcome> => {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return 'denied';
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const key = `${user}\u0000${digest(password).toString('hex')}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached ? 'allowed' : 'denied';
    const hash = users.get(user);
    const matches = await compareOneAtATime(password, hash);
    const ok = hash !== undefined && matches;
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, ok);
    return ok ? 'allowed' : 'denied';
  };

  return {
    async check(authorization) {
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
      if (scheme === 'basic' && users.size > 0) return checkBasic(credentials);
      return 'denied';
    },
  };
}
