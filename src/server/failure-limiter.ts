export interface FailureLimiter {
  /** Seconds the client must wait before its next try is judged, or 0 when it may try now. */
  retryAfterSeconds(client: string, nowMs: number): number;
  /** Counts one failed try of a client. */
  fail(client: string, nowMs: number): void;
}

export interface FailureLimiterOptions {
  /** Failures a client may have within one window before it has to wait for the window's end. */
  maxFailures: number;
  windowMs: number;
  /** Clients remembered at most; the ones seen longest ago are forgotten first. */
  maxClients: number;
}

/**
 * Counts failed logins per client address in fixed windows (fail2ban's findtime/maxretry, in memory). It slows
 * guessing from one address; the bcrypt queue's bound is what holds against many addresses at once.
 */
export function createFailureLimiter(options: FailureLimiterOptions): FailureLimiter {
  const clients = new Map<string, { windowStart: number; failures: number }>();
  return {
    retryAfterSeconds(client, nowMs) {
      const entry = clients.get(client);
      if (!entry || entry.failures < options.maxFailures) return 0;
      const left = entry.windowStart + options.windowMs - nowMs;
      if (left > 0) return Math.ceil(left / 1000);
      clients.delete(client);
      return 0;
    },
    fail(client, nowMs) {
      let entry = clients.get(client);
      if (!entry || nowMs - entry.windowStart >= options.windowMs) entry = { windowStart: nowMs, failures: 0 };
      entry.failures += 1;
      // Deleting first moves the client to the end of the Map's order, so the oldest are forgotten first.
      clients.delete(client);
      clients.set(client, entry);
      if (clients.size > options.maxClients) clients.delete(clients.keys().next().value as string);
    },
  };
}
