import type { Worker } from 'node:worker_threads';
import type { LogLevel } from '../config/schema.ts';
import type { AuditEvent } from '../log/audit.ts';
import type { Logger } from '../log/logger.ts';
import type { Batch } from '../result.ts';
import type { RecordedCycle } from './history-db.ts';
import { monotonicMs } from '../monotonic.ts';
import { startWorker } from '../platform/start-worker.ts';
import { HistoryCounters, type HistoryStats } from './history-counters.ts';

export interface WorkerSettings {
  path: string;
  retentionMs: number;
  /** HistoryCounters' memory: the thread publishes its counters there instead of posting them. */
  counters: SharedArrayBuffer;
}

/**
 * Cycles posted to the thread and not yet taken. The thread takes each within milliseconds unless a system call
 * hangs it (a dead NFS home, a disk stuck in error handling); past this many, new cycles are dropped and counted
 * here instead of piling up in the port's queue for as long as the hang lasts.
 */
export const MAX_CYCLES_IN_FLIGHT = 120;

/**
 * A cycle waits at most this long before it goes to the history thread. Waking another thread is not free: on the
 * virtual machines most hosts are, one message costs the sender ~0.4 ms of CPU (measured on our 2-vCPU CI kind,
 * against 11 µs back to back), which at `-i 1` was a tenth of the loop's CPU. So a loop faster than this hands over
 * its cycles a few at a time, each still written in its own transaction; the default 60 s loop hands over every
 * cycle at once. Closing (exit, reload) hands over what waits; a SIGKILL can lose at most this much.
 */
export const HANDOFF_MS = 5000;

export type ToWorker = { type: 'cycles'; cycles: RecordedCycle[] } | { type: 'close' };

export type FromWorker =
  | { type: 'log'; level: LogLevel; message: string; fields?: Record<string, string | number | boolean> }
  | { type: 'audit'; event: AuditEvent }
  | { type: 'closed' };

export interface HistoryRecorder {
  /** Settles once the thread runs (or failed to start): starting a worker resets V8's flags, see cli/loop-v8-flags.ts. */
  started: Promise<void>;
  /** Hands the cycle to the history thread (with the next ones when the loop is fast) and returns at once. */
  record(batch: Batch): void;
  /** Writes what is queued, checkpoints and stops the thread; gives up after `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
  /** The thread's counters as of its last cycle, and the cycles dropped because it hung; undefined before any. */
  stats(): HistoryStats | undefined;
}

/**
 * The thread handles one small cycle at a time: a young generation of 2 MB (V8's default is 16 MB) keeps the loop's
 * RSS close to where it was before history existed. The old generation limit is a ceiling, not a reservation.
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 256 };

const spawnWorker = (settings: WorkerSettings): Worker =>
  startWorker('history-worker', () => new URL('./history-worker.ts', import.meta.url), {
    workerData: settings,
    resourceLimits: RESOURCE_LIMITS,
  });

/** Only what a report needs crosses the thread boundary: structured cloning costs per field. */
export function toRecordedCycle(batch: Batch, intervalMs: number): RecordedCycle {
  return {
    host: batch.host,
    intervalMs,
    results: batch.results.map((result) => ({
      check: result.name,
      instance: result.instance ?? '',
      status: result.status,
      details: result.details,
      ts: Date.parse(result.timestamp),
      metrics: result.metrics,
      ...(result.breach ? { breach: result.breach } : {}),
    })),
  };
}

export function startHistoryRecorder(options: {
  path: string;
  retentionSeconds: number;
  intervalMs: () => number;
  logger: Logger;
  audit: (event: AuditEvent) => void;
  /** Tests lower it to show the bound without hanging a thread for two minutes. */
  maxCyclesInFlight?: number;
  /** Milliseconds of a clock that never jumps; tests pass their own. */
  monotonicMs?: () => number;
}): HistoryRecorder {
  const log = options.logger.child('history');
  const counters = new HistoryCounters();
  const maxInFlight = options.maxCyclesInFlight ?? MAX_CYCLES_IN_FLIGHT;
  const worker = spawnWorker({
    path: options.path,
    retentionMs: options.retentionSeconds * 1000,
    counters: counters.buffer,
  });
  let alive = true;
  let closed: (() => void) | undefined;
  const clock = options.monotonicMs ?? monotonicMs;
  let posted = 0;
  let droppedHere = 0;
  let stalled = false;
  let waiting: RecordedCycle[] = [];
  let firstWaitingAt = 0;
  const handOver = (): void => {
    if (waiting.length === 0) return;
    posted += waiting.length;
    worker.postMessage({ type: 'cycles', cycles: waiting } satisfies ToWorker);
    waiting = [];
  };
  const started = new Promise<void>((resolve) => {
    worker.once('online', resolve);
    worker.once('exit', resolve);
  });
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'log') {
      const { level, message: text, fields } = message;
      if (level === 'DEBUG') log.debug(text, fields);
      else if (level === 'INFO') log.info(text, fields);
      else if (level === 'WARNING') log.warning(text, fields);
      else log.error(text, fields);
    } else if (message.type === 'audit') options.audit(message.event);
    else closed?.();
  });
  worker.on('error', (error) => {
    // A bug in the history thread must not take monitoring down with it.
    log.error(`the history thread stopped: ${error.stack ?? error.message}`);
    options.audit({ event: 'internal_error', message: `history thread: ${error.message}`, stack: error.stack });
  });
  worker.on('exit', () => {
    alive = false;
    closed?.();
  });
  return {
    started,
    stats() {
      if (counters.taken === 0 && droppedHere === 0) return undefined;
      const stats = counters.read();
      stats.droppedResults += droppedHere;
      if (stalled) stats.healthy = false;
      return stats;
    },
    record(batch) {
      if (!alive) return;
      const inFlight = posted + waiting.length - counters.taken;
      if (inFlight >= maxInFlight) {
        if (!stalled)
          log.error(
            `${inFlight} cycles wait for the history thread (is the disk under ${options.path} hung?); new cycles are dropped until it catches up`,
          );
        stalled = true;
        droppedHere += batch.results.length;
        return;
      }
      if (stalled) {
        log.info('the history thread takes cycles again', { dropped_results: droppedHere });
        stalled = false;
      }
      const intervalMs = options.intervalMs();
      const now = clock();
      if (waiting.length === 0) firstWaitingAt = now;
      waiting.push(toRecordedCycle(batch, intervalMs));
      // Hand over now unless the next cycle is due before the first waiting one has waited HANDOFF_MS.
      if (now - firstWaitingAt + intervalMs >= HANDOFF_MS) handOver();
    },
    async close(timeoutMs = 5000) {
      if (!alive) return;
      handOver();
      const done = new Promise<void>((resolve) => (closed = resolve));
      worker.postMessage({ type: 'close' } satisfies ToWorker);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
      if ((await Promise.race([done, late])) === 'late') log.warning('the history thread did not stop in time');
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
