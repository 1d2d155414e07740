import type { AuditEvent } from '../log/audit.ts';
import type { Logger } from '../log/logger.ts';
import type { Batch } from '../result.ts';
import type { RecordedCycle } from './history-db.ts';
import { HistoryWriter, type HistoryStats } from './history-writer.ts';

export interface HistoryRecorder {
  /** Writes the cycle now: one transaction, ≈ 0.1 ms; a lock or a full disk queues it (bounded) for later. */
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
  let recorded = false;
  let closed = false;
  return {
    record(batch) {
      if (closed) return;
      recorded = true;
      writer.write(toRecordedCycle(batch, options.intervalMs()));
    },
    stats: () => (recorded ? writer.stats : undefined),
    close() {
      if (!closed) writer.close();
      closed = true;
      return Promise.resolve();
    },
  };
}
