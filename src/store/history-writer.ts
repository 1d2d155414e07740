import type { AuditEvent } from '../log/audit.ts';
import type { LogLevel } from '../log/logger.ts';
import { HistoryDb, isCorruption, moveAside, type RecordedCycle } from './history-db.ts';

export type Problem = 'busy' | 'full' | 'corrupt' | 'unwritable' | 'error';
export const PROBLEMS: readonly Problem[] = ['busy', 'full', 'corrupt', 'unwritable', 'error'];

/** The history writer's counters since start, for /metrics (argus_history_*). */
export interface HistoryStats {
  writtenCycles: number;
  /** Failed attempts by kind; one problem that lasts retries and counts every try. */
  failures: Record<Problem, number>;
  droppedResults: number;
  queuedResults: number;
  /** False while a problem keeps cycles from being written. */
  healthy: boolean;
}

/** Results held in memory while the database cannot be written (locked, full); the oldest go first beyond this. */
export const MAX_PENDING_RESULTS = 10_000;
/** How often finished hours are packed and old data pruned. */
export const MAINTENANCE_INTERVAL_MS = 10 * 60_000;
/** A full disk or an unwritable file is retried this often; a lock is retried every cycle. */
export const SLOW_RETRY_MS = 30_000;

export interface WriterDeps {
  path: string;
  retentionMs: number;
  log: (level: LogLevel, message: string, fields?: Record<string, string | number | boolean>) => void;
  audit: (event: AuditEvent) => void;
  now?: () => number;
  /** How long a write waits for another process' lock before the cycle waits for the next one instead. */
  busyTimeoutMs?: number;
  /** Tests pass their own (a clock, a short busy timeout). */
  open?: (path: string) => HistoryDb;
}

function classify(error: unknown): Problem {
  const raw = (error as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  if (isCorruption(error)) return 'corrupt';
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EROFS')
    return 'unwritable';
  return 'error';
}

const DESCRIBE: Record<Problem, string> = {
  busy: 'the history database is locked by another process; keeping results in memory and retrying every cycle',
  full: 'the disk holding the history database is full; keeping results in memory and retrying every 30 s',
  corrupt: 'the history database is corrupt; moved it aside and started a new one',
  unwritable: 'the history database cannot be written; keeping results in memory and retrying every 30 s',
  error: 'writing the history failed; keeping results in memory and retrying every 30 s',
};

/**
 * Writes each cycle in one transaction, on the loop's thread (docs/architecture.md says why not on a thread of its
 * own). Whatever goes wrong with the database, monitoring goes on: cycles wait in a bounded queue, each kind of
 * problem is logged once (and once more when it clears), a corrupt file is moved aside (never deleted) and a new one
 * started.
 */
export class HistoryWriter {
  private db: HistoryDb | undefined;
  private pending: RecordedCycle[] = [];
  private pendingResults = 0;
  private dropped = 0;
  private written = 0;
  private readonly failures = Object.fromEntries(PROBLEMS.map((kind) => [kind, 0])) as Record<Problem, number>;
  private problem: Problem | undefined;
  private retryAt = 0;
  private lastMaintenance: number;
  private readonly now: () => number;
  private readonly deps: WriterDeps;

  constructor(deps: WriterDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    // A writer that is never start()ed packs and prunes first a few cycles in.
    this.lastMaintenance = this.now() - MAINTENANCE_INTERVAL_MS + 60_000;
  }

  get queued(): number {
    return this.pendingResults;
  }

  get stats(): HistoryStats {
    return {
      writtenCycles: this.written,
      failures: { ...this.failures },
      droppedResults: this.dropped,
      queuedResults: this.pendingResults,
      healthy: this.problem === undefined,
    };
  }

  /**
   * Opens the database now rather than at the first cycle's hand-off: a corrupt, locked or unwritable file is
   * reported when the loop starts, and the first cycle does not pay for creating the schema. The first
   * maintenance runs now too, before the loop has anything else to do: it packs the hours the last run left raw
   * and prunes what is past retention (measured from the newest sample, so a long stop is no clock jump); then
   * every 10 minutes.
   */
  start(): void {
    try {
      this.db ??= this.open();
      this.maintain(this.db);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Writes the cycles (with any that wait) in one transaction, or keeps them waiting when it cannot. */
  write(...cycles: RecordedCycle[]): void {
    for (const cycle of cycles) {
      this.pending.push(cycle);
      this.pendingResults += cycle.results.length;
    }
    while (this.pendingResults > MAX_PENDING_RESULTS && this.pending.length > 1) {
      const oldest = this.pending.shift()!;
      this.pendingResults -= oldest.results.length;
      this.dropped += oldest.results.length;
    }
    this.flush();
  }

  private open(): HistoryDb {
    const db =
      this.deps.open?.(this.deps.path) ??
      new HistoryDb(this.deps.path, {
        retentionMs: this.deps.retentionMs,
        ...(this.deps.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: this.deps.busyTimeoutMs }),
      });
    if (db.movedAside) this.reportCorrupt(db.movedAside);
    return db;
  }

  private reportCorrupt(movedTo: string): void {
    this.deps.log('ERROR', DESCRIBE.corrupt, { path: this.deps.path, moved_to: movedTo });
    this.deps.audit({ event: 'history_corrupt', path: this.deps.path, moved_to: movedTo });
  }

  private flush(): void {
    if (this.pending.length === 0 || this.now() < this.retryAt) return;
    try {
      this.db ??= this.open();
      this.db.recordAll(this.pending);
      this.written += this.pending.length;
      this.pending = [];
      this.pendingResults = 0;
      if (this.problem) {
        this.deps.log('INFO', 'history writes work again', {
          path: this.deps.path,
          ...(this.dropped > 0 ? { dropped_results: this.dropped } : {}),
        });
        this.problem = undefined;
      }
      if (this.now() - this.lastMaintenance >= MAINTENANCE_INTERVAL_MS) this.maintain(this.db);
    } catch (error) {
      this.fail(error);
    }
  }

  private maintain(db: HistoryDb): void {
    this.lastMaintenance = this.now();
    const report = db.maintain();
    if (report.compactedSamples > 0 || report.prunedRows > 0)
      this.deps.log('DEBUG', 'history maintenance', {
        packed_samples: report.compactedSamples,
        pruned_rows: report.prunedRows,
      });
  }

  private fail(error: unknown): void {
    const problem = classify(error);
    this.failures[problem] += 1;
    if (problem === 'corrupt') {
      // Found mid-run: the next write starts a fresh file; the broken one is kept for recovery.
      this.closeQuietly();
      this.reportCorrupt(moveAside(this.deps.path, this.now()));
      this.retryAt = 0;
      return;
    }
    this.retryAt = problem === 'busy' ? 0 : this.now() + SLOW_RETRY_MS;
    if (problem === 'full' && this.problem !== 'full') this.pruneEarly();
    if (problem === 'unwritable' || problem === 'error') this.closeQuietly();
    if (this.problem !== problem) {
      this.problem = problem;
      this.deps.log(problem === 'error' ? 'ERROR' : 'WARNING', DESCRIBE[problem], {
        path: this.deps.path,
        reason: (error as Error).message,
      });
    }
  }

  /** On a full disk, pruning now frees pages inside the file that the next writes can reuse without growing it. */
  private pruneEarly(): void {
    try {
      this.db?.maintain();
      this.lastMaintenance = this.now();
    } catch {
      // Packing needs a little room too; if even that fails, the 30 s retry is all there is.
    }
  }

  private closeQuietly(): void {
    try {
      this.db?.close();
    } catch {
      // Closing a broken handle can fail too; the file is dealt with by the caller.
    }
    this.db = undefined;
  }

  /** Last try at what is queued, then a checkpoint that folds the WAL into the database file. */
  close(): void {
    this.retryAt = 0;
    this.flush();
    if (this.pending.length > 0)
      this.deps.log('WARNING', 'history: results not written at exit', { results: this.pendingResults });
    this.closeQuietly();
  }
}
