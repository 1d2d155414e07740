import { abortableSleep } from '../async/abortable-sleep.ts';
import { watchAbort } from '../async/abort-watch.ts';
import type { Logger } from '../log/logger.ts';
import { parseRetryAfter } from '../net/http-options.ts';
import type { PostAnswer } from '../net/http-post.ts';
import type { FileOutbox } from '../outbox/file-outbox.ts';
import type { SinkStats } from './sink.ts';

/**
 * What differs between the receivers an outbox drains to (InfluxDB, Prometheus remote write): how a list of points
 * becomes a request, and how much of a refused request was refused.
 */
export interface Receiver {
  /** In messages: "InfluxDB", "remote write". */
  name: string;
  /** Where, in messages: the origin only (a URL's path or query may hold a secret). */
  shown: string;
  /** Posts these points (lines of an outbox item's payload); throws when the receiver cannot be reached. */
  send(points: string[]): Promise<PostAnswer>;
  /** Of a 4xx answer to `count` points, how many it refused (InfluxDB's partial writes store the rest). */
  refused?(answer: PostAnswer, count: number): number;
}

export interface SenderOptions {
  /** Items are points joined by "\n"; a batch too large for the receiver (413) is split by points. */
  outbox: FileOutbox<string>;
  receiver: Receiver;
  /** Points per request at most. */
  batchSize: number;
  logger: Logger;
}

export interface SenderStats {
  sentPoints: number;
  /** Points the server refused for good (400, 422, a single point still too large for 413). */
  rejectedPoints: number;
  requests: number;
  retries: number;
}

type Outcome = { kind: 'done' } | { kind: 'retry'; delayMs: number; reason: string; auth?: boolean };

// failure-modes.md F4-F6: 1 s, doubling, capped at 60 s with full jitter; auth failures back off to 5 min.
const BASE_MS = 1000;
const CAP_MS = 60_000;
const AUTH_CAP_MS = 5 * 60_000;
const LOG_EVERY_MS = 10 * 60_000;

/**
 * Drains the outbox to the receiver in order, at least once: a batch leaves the outbox only after a 2xx. Retries
 * 5xx, 429, timeouts and refused connections with backoff (honouring Retry-After); drops what the server refuses for
 * good (4xx) and counts it, so one bad point never blocks the queue; splits a batch the server finds too large
 * (413) down to single points. Runs beside collection and never delays it.
 */
export function createOutboxSender(options: SenderOptions) {
  const { outbox, receiver, logger: log } = options;
  const { shown } = receiver;
  const stats: SenderStats = { sentPoints: 0, rejectedPoints: 0, requests: 0, retries: 0 };
  const stopping = new AbortController();
  // Cut short by stop(): one more attempt then flushes what waits, even in the middle of a backoff.
  const backingOff = new AbortController();
  let wakeUp: (() => void) | undefined;
  let attempt = 0;
  let failing = false;
  let draining = false;
  const lastLogged = new Map<string, number>();

  const logLimited = (key: string, write: () => void): void => {
    const now = Date.now();
    if (now - (lastLogged.get(key) ?? -Infinity) < LOG_EVERY_MS) return;
    lastLogged.set(key, now);
    write();
  };

  const backoff = (cap: number): number => Math.random() * Math.min(cap, BASE_MS * 2 ** attempt);

  const deliver = async (points: string[]): Promise<Outcome> => {
    let answer: PostAnswer;
    try {
      stats.requests += 1;
      answer = await receiver.send(points);
    } catch (error) {
      return { kind: 'retry', delayMs: backoff(CAP_MS), reason: `cannot reach ${shown}: ${(error as Error).message}` };
    }
    const { status } = answer;
    if (status >= 200 && status < 300) {
      stats.sentPoints += points.length;
      return { kind: 'done' };
    }
    if (status === 413) {
      if (points.length === 1) {
        stats.rejectedPoints += 1;
        logLimited('413', () => log.warning(`${shown} refused a single point as too large; dropped it`));
        return { kind: 'done' };
      }
      const half = Math.ceil(points.length / 2);
      const first = await deliver(points.slice(0, half));
      return first.kind === 'retry' ? first : deliver(points.slice(half));
    }
    if (status === 401 || status === 403) {
      return { kind: 'retry', delayMs: backoff(AUTH_CAP_MS), reason: `${shown} answered ${status}`, auth: true };
    }
    if (status === 408 || status === 429 || status >= 500 || (status >= 300 && status < 400)) {
      const after = parseRetryAfter(answer.retryAfter);
      const delayMs = Math.max(backoff(CAP_MS), (after ?? 0) * 1000);
      return { kind: 'retry', delayMs, reason: `${shown} answered ${status}` };
    }
    // 400, 404, 422…: this data will never be accepted; drop it, say why once, and let the queue move on.
    const refused = Math.min(points.length, receiver.refused?.(answer, points.length) ?? points.length);
    stats.rejectedPoints += refused;
    stats.sentPoints += points.length - refused;
    logLimited(`rejected-${status}`, () =>
      log.warning(`${shown} answered ${status} and refused ${refused} of ${points.length} point(s); dropped them`, {
        answer: answer.body.slice(0, 200),
        first_point: points[0]?.slice(0, 200),
      }),
    );
    return { kind: 'done' };
  };

  // Watched, not listened to: the sender waits here after every cycle's batch, and a listener added per wait was
  // never removed (MaxListenersExceededWarning after 11 cycles, and a closure kept per cycle for the agent's life).
  const waitForWork = (): Promise<void> =>
    new Promise((resolve) => {
      const unwatch = watchAbort(stopping.signal, () => done());
      function done(): void {
        unwatch();
        resolve();
      }
      wakeUp = done;
    });

  const run = async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      const items = outbox.oldestUpTo(options.batchSize);
      if (items.length === 0) {
        if (draining) return;
        await waitForWork();
        continue;
      }
      const outcome = await deliver(items.flatMap((item) => item.payload.split('\n')));
      if (outcome.kind === 'retry') {
        stats.retries += 1;
        attempt += 1;
        const message = `cannot deliver to ${receiver.name}, will retry: ${outcome.reason}`;
        // Refused credentials are a config problem that data loss would not fix: an error, repeated every 10 min.
        if (outcome.auth) logLimited('auth', () => log.error(message, { queued_points: outbox.weight }));
        else if (!failing) log.warning(message, { queued_points: outbox.weight });
        failing = true;
        if (draining) return; // stopping: what is left waits on disk for the next start
        await abortableSleep(outcome.delayMs, backingOff.signal);
        continue;
      }
      for (const item of items) outbox.remove(item.id);
      attempt = 0;
      if (failing) log.info(`${receiver.name} delivery works again`, { queued_points: outbox.weight });
      failing = false;
    }
  };

  const running = run();
  return {
    /** Called after each enqueue: a sender waiting for work starts at once; one backing off keeps its delay. */
    wake(): void {
      const resolve = wakeUp;
      wakeUp = undefined;
      resolve?.();
    },
    stats: (): SenderStats => ({ ...stats }),
    /**
     * Flushes what is queued while the server answers, for at most 3 s (the agent has 10 s to stop in all), then
     * stops; whatever is not delivered stays in the outbox for the next start.
     */
    async stop(): Promise<void> {
      draining = true;
      backingOff.abort();
      const resolve = wakeUp;
      wakeUp = undefined;
      resolve?.();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise((done) => (timer = setTimeout(done, 3000)))]);
      clearTimeout(timer);
      stopping.abort();
    },
  };
}

export type OutboxSender = ReturnType<typeof createOutboxSender>;

/** A pushing sink's counters for /metrics: what the sender delivered or saw refused, what the outbox holds or lost. */
export function pushStats(sender: OutboxSender, outbox: FileOutbox<string>): SinkStats {
  const sent = sender.stats();
  return {
    sentPoints: sent.sentPoints,
    rejectedPoints: sent.rejectedPoints,
    droppedPoints: outbox.droppedWeight,
    queuedPoints: outbox.weight,
  };
}
