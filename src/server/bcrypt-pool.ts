import type { Worker } from 'node:worker_threads';
import { startWorker } from '../platform/start-worker.ts';

export interface CompareRequest {
  id: number;
  password: string;
  /** Undefined for an unknown user: the thread compares against a decoy of decoyCost. */
  hash: string | undefined;
  decoyCost: number;
}

export interface CompareReply {
  id: number;
  ok: boolean;
}

export interface BcryptPool {
  /** The verdict, or 'busy' at once when the queue is full: bcrypt work never piles up without bound. */
  compare(password: string, hash: string | undefined): Promise<boolean> | 'busy';
  /** Compares running or waiting. */
  readonly pending: number;
  close(): Promise<void>;
}

export interface BcryptPoolOptions {
  decoyCost: number;
  /** Compares that may wait behind the one running; past it, compare() answers 'busy'. */
  maxQueued: number;
  /** The thread stops after this long without work, so an agent that rarely sees a new password holds no thread. */
  idleMs: number;
  /** Once the thread runs: starting a worker puts some of V8's flags back to their defaults (Node 20). */
  onThreadStart?: () => void;
}

/** 2 MB of young generation is plenty for one compare at a time; the old generation limit is a ceiling only. */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 };

/**
 * bcrypt compares on a thread of their own, one at a time, started on the first compare and stopped when idle.
 * The agent's thread only posts and waits, so a flood of wrong passwords costs scrapes nothing but the queue's
 * refusals.
 */
export function createBcryptPool(options: BcryptPoolOptions): BcryptPool {
  let worker: Worker | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (ok: boolean) => void; reject: (error: Error) => void }>();

  const stop = (): Promise<void> => {
    const stopping = worker?.terminate().then(() => undefined) ?? Promise.resolve();
    worker = undefined;
    return stopping;
  };
  const failAll = (error: Error): void => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };

  const start = (): Worker => {
    const thread = startWorker('bcrypt-worker', () => new URL('./bcrypt-worker.ts', import.meta.url), {
      resourceLimits: RESOURCE_LIMITS,
    });
    // A thread that only answers requests must never keep the agent alive on its own.
    thread.unref();
    if (options.onThreadStart) thread.once('online', options.onThreadStart);
    thread.on('message', (reply: CompareReply) => {
      waiting.get(reply.id)?.resolve(reply.ok);
      waiting.delete(reply.id);
      if (waiting.size === 0) idleTimer = setTimeout(() => void stop(), options.idleMs).unref();
    });
    thread.on('error', (error) => {
      if (worker === thread) worker = undefined;
      failAll(error);
    });
    thread.on('exit', () => {
      if (worker === thread) worker = undefined;
      failAll(new Error('the bcrypt thread stopped'));
    });
    return thread;
  };

  return {
    compare(password, hash) {
      if (waiting.size > options.maxQueued) return 'busy';
      clearTimeout(idleTimer);
      worker ??= start();
      const id = (nextId += 1);
      const thread = worker;
      return new Promise<boolean>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        thread.postMessage({ id, password, hash, decoyCost: options.decoyCost } satisfies CompareRequest);
      });
    },
    get pending() {
      return waiting.size;
    },
    close() {
      clearTimeout(idleTimer);
      failAll(new Error('the bcrypt thread was closed'));
      return stop();
    },
  };
}
