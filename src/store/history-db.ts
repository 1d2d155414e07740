import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DecidingBreach, Status } from '../result.ts';
import { migrate } from './migrations.ts';
import { packFinishedHours, pruneHistory } from './history-maintenance.ts';
import { quantize } from './sample-codec.ts';

/** What the history keeps of one result: the fields a report needs, nothing else. */
export interface RecordedResult {
  check: string;
  instance: string;
  status: Status;
  details: string;
  /** Milliseconds since the epoch. */
  ts: number;
  metrics: Record<string, number>;
  breach?: DecidingBreach;
}

export interface RecordedCycle {
  host?: string;
  /** The loop's interval: a span of one status ends one interval after its last sample. */
  intervalMs: number;
  results: RecordedResult[];
}

export interface MaintenanceReport {
  compactedSamples: number;
  prunedRows: number;
}

interface OpenSpan {
  id: number;
  status: Status;
  endTs: number;
  metric: string | null;
  peak: number | null;
}

/** SQLite's own word that the file is not a usable database; anything else (busy, full, I/O) is not corruption. */
export const isCorruption = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
};

/** WAL so readers (reports) never block the writer; NORMAL sync is crash-safe in WAL mode and far cheaper than FULL. */
function configure(db: Database.Database, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // A cycle touches a few pages at the end of two tables; SQLite's default 2 MB page cache is resident memory
  // the writer does not need. Reports open their own connection with the default.
  db.pragma('cache_size = -256');
}

/**
 * Moves a corrupt database (and its WAL and shared-memory files) aside rather than deleting it: what it holds may
 * still be recovered with `sqlite3 .recover`. Returns the new name.
 */
export function moveAside(path: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const target = `${path}.corrupt-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}

export interface OpenOptions {
  retentionMs: number;
  busyTimeoutMs?: number;
  now?: () => number;
}

/** The history as the writer (the status loop and the agent) sees it: append cycles, compact, prune. */
export class HistoryDb {
  readonly db: Database.Database;
  /** Set when the file found at start was corrupt and moved here. */
  readonly movedAside: string | undefined;
  private readonly retentionMs: number;
  private readonly now: () => number;
  private readonly seriesIds = new Map<string, Map<string, number>>();
  private readonly spans = new Map<string, OpenSpan | null>();
  private host: string | undefined;
  private readonly statements;
  /**
   * Appends cycles in one transaction: a crash keeps all of them or none. A fast loop hands over a few at a time,
   * paying one commit for them. Made once in the constructor: better-sqlite3 builds four wrapper functions per
   * transaction() call, garbage at a cycle a second.
   */
  recordAll: (cycles: readonly RecordedCycle[]) => void;
  /** One cycle in its own transaction. */
  record = (cycle: RecordedCycle): void => this.recordAll([cycle]);

  constructor(path: string, options: OpenOptions) {
    this.retentionMs = options.retentionMs;
    this.now = options.now ?? Date.now;
    const busyTimeoutMs = options.busyTimeoutMs ?? 1000;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    let movedAside: string | undefined;
    let db: Database.Database;
    try {
      db = HistoryDb.openChecked(path, busyTimeoutMs);
    } catch (error) {
      if (!isCorruption(error)) throw error;
      movedAside = moveAside(path, this.now());
      db = HistoryDb.openChecked(path, busyTimeoutMs);
    }
    this.db = db;
    this.movedAside = movedAside;
    this.statements = {
      findSeries: db.prepare<[string, string, string], { id: number }>(
        'SELECT id FROM series WHERE check_name = ? AND instance = ? AND metric = ?',
      ),
      addSeries: db.prepare<[string, string, string]>(
        'INSERT INTO series (check_name, instance, metric) VALUES (?, ?, ?)',
      ),
      addCycle: db.prepare<[number, string]>('INSERT INTO recent (ts, data) VALUES (?, ?)'),
      lastSpan: db.prepare<
        [string, string],
        { id: number; status: Status; end_ts: number; metric: string | null; peak: number | null }
      >(
        'SELECT id, status, end_ts, metric, peak FROM spans WHERE check_name = ? AND instance = ? ORDER BY start_ts DESC LIMIT 1',
      ),
      addSpan: db.prepare<[string, string, string, number, number, string, string | null, number | null]>(
        'INSERT INTO spans (check_name, instance, status, start_ts, end_ts, details, metric, peak) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      extendSpan: db.prepare<[number, number]>('UPDATE spans SET end_ts = ? WHERE id = ?'),
      worsenSpan: db.prepare<[number, string, number, number]>(
        'UPDATE spans SET end_ts = ?, details = ?, peak = ? WHERE id = ?',
      ),
    };
    this.recordAll = db.transaction((cycles: readonly RecordedCycle[]) => {
      for (let index = 0; index < cycles.length; index += 1) this.recordCycle(cycles[index] as RecordedCycle);
    });
  }

  private static openChecked(path: string, busyTimeoutMs: number): Database.Database {
    const fresh = path === ':memory:' || !existsSync(path);
    const db = new Database(path);
    try {
      configure(db, busyTimeoutMs);
      // quick_check reads every page once: corruption found now is handled now, not mid-cycle.
      if (!fresh) {
        const verdict = db.pragma('quick_check(1)', { simple: true });
        if (verdict !== 'ok')
          throw Object.assign(new Error(`quick_check: ${String(verdict)}`), { code: 'SQLITE_CORRUPT' });
      }
      migrate(db);
      if (fresh && path !== ':memory:') chmodSync(path, 0o600);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** The series ids of one check and instance, by metric; a key per result rather than one per sample. */
  private seriesOf(check: string, instance: string): Map<string, number> {
    const key = `${check}\0${instance}`;
    let ids = this.seriesIds.get(key);
    if (!ids) {
      ids = new Map();
      this.seriesIds.set(key, ids);
    }
    return ids;
  }

  private seriesId(ids: Map<string, number>, result: RecordedResult, metric: string): number {
    let id = ids.get(metric);
    if (id === undefined) {
      id =
        this.statements.findSeries.get(result.check, result.instance, metric)?.id ??
        Number(this.statements.addSeries.run(result.check, result.instance, metric).lastInsertRowid);
      ids.set(metric, id);
    }
    return id;
  }

  /** Continues the result's current span while its status holds and no gap interrupts it; else starts a new one. */
  private recordStatus(result: RecordedResult, intervalMs: number): void {
    const key = `${result.check}\0${result.instance}`;
    let span = this.spans.get(key);
    if (span === undefined) {
      const row = this.statements.lastSpan.get(result.check, result.instance);
      span = row ? { id: row.id, status: row.status, endTs: row.end_ts, metric: row.metric, peak: row.peak } : null;
    }
    const end = result.ts + intervalMs;
    const breach = result.breach;
    const continues =
      span !== null &&
      span.status === result.status &&
      result.ts <= span.endTs + intervalMs &&
      result.ts >= span.endTs - 2 * intervalMs;
    if (span !== null && continues) {
      const worse =
        breach !== undefined &&
        breach.metric === span.metric &&
        span.peak !== null &&
        (breach.worse === 'higher' ? breach.value > span.peak : breach.value < span.peak);
      if (worse) {
        this.statements.worsenSpan.run(end, result.details, breach.value, span.id);
        span.peak = breach.value;
      } else this.statements.extendSpan.run(end, span.id);
      span.endTs = end;
    } else {
      const metric = breach?.metric ?? null;
      const peak = breach?.value ?? null;
      const info = this.statements.addSpan.run(
        result.check,
        result.instance,
        result.status,
        result.ts,
        end,
        result.details,
        metric,
        peak,
      );
      span = { id: Number(info.lastInsertRowid), status: result.status, endTs: end, metric, peak };
    }
    this.spans.set(key, span);
  }

  private recordCycle(cycle: RecordedCycle): void {
    if (cycle.host !== undefined && cycle.host !== this.host) {
      this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('host', ?)").run(cycle.host);
      this.host = cycle.host;
    }
    const samples: [number, number, number][] = [];
    let newest = 0;
    for (const result of cycle.results) {
      const ids = this.seriesOf(result.check, result.instance);
      for (const metric in result.metrics) {
        samples.push([this.seriesId(ids, result, metric), result.ts, quantize(result.metrics[metric]!)]);
      }
      if (result.ts > newest) newest = result.ts;
      this.recordStatus(result, cycle.intervalMs);
    }
    if (samples.length > 0) this.statements.addCycle.run(newest, JSON.stringify(samples));
  }

  /**
   * Packs every finished hour of raw samples into one chunk per series and hour with its rollup, then prunes what is
   * past retention. Safe to run at any time; a late sample for an hour already packed is merged into its chunk.
   */
  maintain(): MaintenanceReport {
    let compactedSamples = 0;
    let prunedRows = 0;
    this.db.transaction(() => {
      compactedSamples = packFinishedHours(this.db);
      prunedRows = pruneHistory(this.db, { retentionMs: this.retentionMs, nowMs: this.now() });
      if (prunedRows > 0) this.spans.clear();
    })();
    // SQLite checkpoints on its own after 1000 pages, unless a reader is in the way at that moment; a passive
    // checkpoint here, every 10 minutes, keeps the WAL from growing without bound behind long reports.
    this.db.pragma('wal_checkpoint(PASSIVE)');
    return { compactedSamples, prunedRows };
  }

  /** Folds the WAL back into the main file, so the directory holds one file at rest. */
  close(): void {
    if (!this.db.open) return;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }
}
