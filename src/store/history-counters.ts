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

const WRITTEN = 0;
const FAILURES = 1;
const DROPPED = FAILURES + PROBLEMS.length;
const QUEUED = DROPPED + 1;
const HEALTHY = QUEUED + 1;
/** Cycles the thread has taken off its port: the collection thread compares it with what it posted. */
const TAKEN = HEALTHY + 1;
const SLOTS = TAKEN + 1;

/**
 * The history thread's counters in memory both threads share. The collection thread reads them when /metrics asks,
 * so the history thread posts no message per cycle (a message each way per cycle cost the status loop about as
 * much CPU as the SQLite write itself). Atomics make each counter's read whole; the set of them is read as of one
 * moment or the next, which is all a scrape needs.
 */
export class HistoryCounters {
  readonly buffer: SharedArrayBuffer;
  private readonly slots: BigInt64Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(SLOTS * BigInt64Array.BYTES_PER_ELEMENT)) {
    this.buffer = buffer;
    this.slots = new BigInt64Array(buffer);
  }

  /** On the history thread, after each cycle it took. */
  publish(stats: HistoryStats, taken: number): void {
    Atomics.store(this.slots, WRITTEN, BigInt(stats.writtenCycles));
    PROBLEMS.forEach((kind, index) => Atomics.store(this.slots, FAILURES + index, BigInt(stats.failures[kind])));
    Atomics.store(this.slots, DROPPED, BigInt(stats.droppedResults));
    Atomics.store(this.slots, QUEUED, BigInt(stats.queuedResults));
    Atomics.store(this.slots, HEALTHY, stats.healthy ? 1n : 0n);
    Atomics.store(this.slots, TAKEN, BigInt(taken));
  }

  get taken(): number {
    return Number(Atomics.load(this.slots, TAKEN));
  }

  read(): HistoryStats {
    const load = (slot: number): number => Number(Atomics.load(this.slots, slot));
    return {
      writtenCycles: load(WRITTEN),
      failures: Object.fromEntries(
        PROBLEMS.map((kind, index) => [kind, load(FAILURES + index)]),
      ) as HistoryStats['failures'],
      droppedResults: load(DROPPED),
      queuedResults: load(QUEUED),
      healthy: load(HEALTHY) === 1,
    };
  }
}
