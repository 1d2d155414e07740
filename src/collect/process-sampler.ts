import type { Host } from './host.ts';
import { readMeminfo } from './meminfo.ts';
import { USER_HZ } from './proc-stat.ts';
import { createProcessReader, type ProcessInfo, type ProcessReader, type ProcessRow } from './processes.ts';

export type { ProcessRow } from './processes.ts';
import { createRateTracker } from './rate-tracker.ts';

/** A process with what two samples tell: its CPU share and I/O rates since the previous sample. */
/** Counts by state, as the "Tasks:" line of top shows them. */
export interface ProcessCounts {
  total: number;
  running: number;
  sleeping: number;
  /** D: waiting on I/O, and unkillable meanwhile. */
  uninterruptible: number;
  stopped: number;
  zombie: number;
  threads: number;
}

export interface ProcessSnapshot {
  processes: ProcessRow[];
  counts: ProcessCounts;
}

interface Counters {
  cpuTicks: number;
  startTicks: number;
  readBytes: number | undefined;
  writeBytes: number | undefined;
}

export interface ProcessSampler {
  /** memTotalBytes: MemTotal when the caller read meminfo already this refresh (top does), else it is read here. */
  sample(host: Host, memTotalBytes?: number, options?: { io?: boolean }): ProcessSnapshot;
}

export function countStates(processes: readonly ProcessInfo[]): ProcessCounts {
  const counts: ProcessCounts = {
    total: 0,
    running: 0,
    sleeping: 0,
    uninterruptible: 0,
    stopped: 0,
    zombie: 0,
    threads: 0,
  };
  for (const process of processes) {
    counts.total += 1;
    counts.threads += process.threads;
    switch (process.state) {
      case 'R':
        counts.running += 1;
        break;
      case 'S':
      case 'I':
        counts.sleeping += 1;
        break;
      case 'D':
        counts.uninterruptible += 1;
        break;
      case 'T':
      case 't':
        counts.stopped += 1;
        break;
      case 'Z':
        counts.zombie += 1;
        break;
    }
  }
  return counts;
}

/**
 * The process table with rates: CPU from the utime+stime deltas over the monotonic time between samples, I/O
 * from read_bytes/write_bytes deltas. A pid reused by a new process (another start time) starts over.
 */
export function createProcessSampler(
  monotonicMs: () => number,
  reader: ProcessReader = createProcessReader(),
): ProcessSampler {
  const tracker = createRateTracker<number, Counters>((before, after) => before.startTicks !== after.startTicks);
  return {
    sample(host, memTotalBytes, options) {
      const processes = reader.read(host, options);
      const nowMs = monotonicMs();
      let totalBytes = memTotalBytes ?? 0;
      if (memTotalBytes === undefined) {
        try {
          totalBytes = readMeminfo(host).totalBytes;
        } catch {
          // MEM % is left at 0 rather than losing the table
        }
      }
      // The reader's rows already have every field (one object per process and refresh): filled in here.
      for (const row of processes) {
        row.memPercent = totalBytes > 0 ? (row.rssBytes / totalBytes) * 100 : 0;
        const before = tracker.observe(row.pid, row, nowMs);
        if (!before) continue;
        const seconds = (nowMs - before.atMs) / 1000;
        const then = before.counters;
        row.cpuPercent = Math.max(0, ((row.cpuTicks - then.cpuTicks) / USER_HZ / seconds) * 100);
        row.readBytesPerSecond = rate(row.readBytes, then.readBytes, seconds);
        row.writeBytesPerSecond = rate(row.writeBytes, then.writeBytes, seconds);
      }
      tracker.end();
      return { processes, counts: countStates(processes) };
    },
  };
}

const rate = (now: number | undefined, then: number | undefined, seconds: number): number | undefined =>
  now === undefined || then === undefined ? undefined : Math.max(0, (now - then) / seconds);

/** The orders a process list can take: top's keys, the API's `sort=`, `status --processes` (CPU). */
export const PROCESS_SORTS = ['cpu', 'memory', 'io', 'time'] as const;
export type ProcessSort = (typeof PROCESS_SORTS)[number];

const SORT_VALUE: Readonly<Record<ProcessSort, (row: ProcessRow) => number>> = {
  cpu: (row) => row.cpuPercent ?? 0,
  memory: (row) => row.rssBytes,
  io: (row) => (row.readBytesPerSecond ?? 0) + (row.writeBytesPerSecond ?? 0),
  time: (row) => row.cpuTicks,
};

/** Highest first; ties by PID, so that equal rows do not swap places between refreshes. */
export function sortProcesses(rows: readonly ProcessRow[], key: ProcessSort): ProcessRow[] {
  const value = SORT_VALUE[key];
  return [...rows].sort((a, b) => value(b) - value(a) || a.pid - b.pid);
}
