import type { AuditEvent } from '../log/audit.ts';
import type { Logger } from '../log/logger.ts';
import type { Batch } from '../result.ts';
import { monotonicMs } from '../platform/monotonic.ts';
import type { RecordedCycle } from './history-db.ts';
import { HistoryWriter, type HistoryStats } from './history-writer.ts';

export interface HistoryRecorder {
  /** Takes the cycle; written within HANDOFF_MS, a few in one transaction; a lock or a full disk queues it (bounded). */
  record(batch: Batch): void;
  /** Writes what is queued, checkpoints and closes the database. */
  close(): Promise<void>;
  /** The writer's counters; undefined before the first cycle. */
  stats(): HistoryStats | undefined;
}

/**
 * Waiting for another process' lock holds the loop, so the wait is short: a cycle that finds the database locked
 * waits in memory for the next one (the writer retries every cycle).
 */
const BUSY_TIMEOUT_MS = 20;

/**
 * A cycle waits at most this long before it is written. A commit costs about as much as the cycle's rows, so a
 * loop faster than this writes its cycles a few at a time (one transaction for five at `-i 1`, ≈ 0.15 ms a second
 * less of the loop's CPU); the default 60 s loop writes every cycle at once. Closing (exit, reload) writes what
 * waits; a SIGKILL can lose at most this much.
 */
export const HANDOFF_MS = 5000;

/** Only what a report needs is kept of a result. */
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

/**
 * The loop's history: opens the database (and runs the first maintenance) at once, so a corrupt, locked or
 * unwritable file is reported when the loop starts, then writes every cycle as it comes.
 */
export function startHistoryRecorder(options: {
  path: string;
  retentionSeconds: number;
  intervalMs: () => number;
  logger: Logger;
  audit: (event: AuditEvent) => void;
  /** Milliseconds of a clock that never jumps; tests pass their own. */
  monotonicMs?: () => number;
}): HistoryRecorder {
  const log = options.logger.child('history');
  const writer = new HistoryWriter({
    path: options.path,
    retentionMs: options.retentionSeconds * 1000,
    busyTimeoutMs: BUSY_TIMEOUT_MS,
    log: (level, message, fields) => {
      if (level === 'DEBUG') log.debug(message, fields);
      else if (level === 'INFO') log.info(message, fields);
      else if (level === 'WARNING') log.warning(message, fields);
      else log.error(message, fields);
    },
    audit: options.audit,
  });
  writer.start();
  const clock = options.monotonicMs ?? monotonicMs;
  let waiting: RecordedCycle[] = [];
  let firstWaitingAt = 0;
  let recorded = false;
  let closed = false;
  const handOver = (): void => {
    if (waiting.length === 0) return;
    writer.write(...waiting);
    waiting = [];
  };
  return {
    record(batch) {
      if (closed) return;
      recorded = true;
      const intervalMs = options.intervalMs();
      const now = clock();
      if (waiting.length === 0) firstWaitingAt = now;
      waiting.push(toRecordedCycle(batch, intervalMs));
      // Now, unless the next cycle is due before the first waiting one has waited HANDOFF_MS.
      if (now - firstWaitingAt + intervalMs >= HANDOFF_MS) handOver();
    },
    stats() {
      if (!recorded) return undefined;
      const stats = writer.stats;
      stats.queuedResults += waitingResults();
      return stats;
    },
    close() {
      if (!closed) {
        handOver();
        writer.close();
      }
      closed = true;
      return Promise.resolve();
    },
  };
  function waitingResults(): number {
    let results = 0;
    for (const cycle of waiting) results += cycle.results.length;
    return results;
  }
}
