import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LogLevel } from '../config/schema.ts';
import type { AuditEvent } from '../log/audit.ts';
import type { Logger } from '../log/logger.ts';
import type { Batch } from '../result.ts';
import type { RecordedCycle } from './history-db.ts';
import type { HistoryStats } from './history-writer.ts';

export interface WorkerSettings {
  path: string;
  retentionMs: number;
}

export type ToWorker = { type: 'cycle'; cycle: RecordedCycle } | { type: 'close' };

export type FromWorker =
  | { type: 'log'; level: LogLevel; message: string; fields?: Record<string, string | number | boolean> }
  | { type: 'audit'; event: AuditEvent }
  | { type: 'stats'; stats: HistoryStats }
  | { type: 'closed' };

export interface HistoryRecorder {
  /** Settles once the thread runs (or failed to start): starting a worker resets V8's flags, see cli/daemon-heap.ts. */
  started: Promise<void>;
  /** Hands the cycle to the history thread and returns at once. */
  record(batch: Batch): void;
  /** Writes what is queued, checkpoints and stops the thread; gives up after `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
  /** The thread's counters as of its last cycle; undefined before the first. */
  stats(): HistoryStats | undefined;
}

declare const ARGUS_BUNDLED: boolean | undefined;

/**
 * The bundle ships the worker as dist/history-worker.cjs beside itself; from source (tests) the TypeScript file is
 * loaded through tsx, which a worker does not inherit from the parent's --import.
 */
/**
 * The thread handles one small cycle at a time: a young generation of 2 MB (V8's default is 16 MB) keeps the loop's
 * RSS close to where it was before history existed. The old generation limit is a ceiling, not a reservation.
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 256 };

function spawnWorker(settings: WorkerSettings): Worker {
  if (typeof ARGUS_BUNDLED === 'boolean')
    return new Worker(join(__dirname, 'history-worker.cjs'), {
      workerData: settings,
      resourceLimits: RESOURCE_LIMITS,
    });
  const source = new URL('./history-worker.ts', import.meta.url).href;
  return new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`,
    { eval: true, workerData: settings, resourceLimits: RESOURCE_LIMITS },
  );
}

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
}): HistoryRecorder {
  const log = options.logger.child('history');
  const worker = spawnWorker({ path: options.path, retentionMs: options.retentionSeconds * 1000 });
  let alive = true;
  let closed: (() => void) | undefined;
  let latest: HistoryStats | undefined;
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
    else if (message.type === 'stats') latest = message.stats;
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
    stats: () => latest,
    record(batch) {
      if (alive)
        worker.postMessage({ type: 'cycle', cycle: toRecordedCycle(batch, options.intervalMs()) } satisfies ToWorker);
    },
    async close(timeoutMs = 5000) {
      if (!alive) return;
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
