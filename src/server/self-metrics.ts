import { readdirSync, readFileSync } from 'node:fs';
import { VERSION } from '../version.ts';
import type { ExportedSample } from '../exporters/series.ts';
import { family } from './metric-names.ts';
import type { HistoryStats } from '../store/history-writer.ts';

const BUILD_INFO = family(
  'argus_build_info',
  'gauge',
  'A metric with a constant 1 value labeled by Argus and Node.js versions.',
);
const RELOAD_OK = family('argus_config_last_reload_successful', 'gauge', 'Whether the last config reload succeeded.');
const RELOAD_AT = family(
  'argus_config_last_reload_success_timestamp_seconds',
  'gauge',
  'Unix time of the last successful config load or reload.',
);
const CYCLE_AT = family('argus_last_cycle_timestamp_seconds', 'gauge', 'Unix time the last collection cycle ended.');
const CYCLE_DURATION = family('argus_cycle_duration_seconds', 'gauge', 'Seconds the last collection cycle took.');
// The process_* names every Prometheus client library exports, so generic process dashboards work.
const CPU = family('process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.');
const RSS = family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.');
const HEAP = family('nodejs_heap_size_used_bytes', 'gauge', 'Process heap size used from Node.js in bytes.');
const START = family('process_start_time_seconds', 'gauge', 'Start time of the process since unix epoch in seconds.');
const FDS = family('process_open_fds', 'gauge', 'Number of open file descriptors.');
const MAX_FDS = family('process_max_fds', 'gauge', 'Maximum number of open file descriptors.');
const VIRTUAL = family('process_virtual_memory_bytes', 'gauge', 'Virtual memory size in bytes.');
const VIRTUAL_MAX = family(
  'process_virtual_memory_max_bytes',
  'gauge',
  'Maximum amount of virtual memory available in bytes.',
);
/** "unlimited" as client_golang reports it: the largest uint64, which is what the kernel's RLIM_INFINITY is. */
const UNLIMITED = 2 ** 64; // the nearest double to 2^64 - 1, as Go prints it: 1.8446744073709552e+19

const SINK_SENT = family('argus_sink_points_sent_total', 'counter', 'Points a sink delivered.');
const SINK_REJECTED = family(
  'argus_sink_points_rejected_total',
  'counter',
  'Points the receiver refused for good (4xx), dropped so the queue moves on.',
);
const SINK_DROPPED = family(
  'argus_sink_points_dropped_total',
  'counter',
  'Points dropped from a full sink queue, oldest first.',
);
const SINK_QUEUED = family('argus_sink_points_queued', 'gauge', 'Points waiting for delivery.');
const SINK_BEHIND = family(
  'argus_sink_batches_dropped_total',
  'counter',
  'Cycles a slow sink skipped because the previous write had not finished.',
);

const HISTORY_WRITTEN = family(
  'argus_history_cycles_written_total',
  'counter',
  'Cycles written to the history database.',
);
const HISTORY_FAILURES = family(
  'argus_history_write_failures_total',
  'counter',
  'Failed attempts to write history, by kind (busy, full, corrupt, unwritable, error).',
);
const HISTORY_DROPPED = family(
  'argus_history_results_dropped_total',
  'counter',
  'Results dropped because history writes were failing and the in-memory queue was full.',
);
const HISTORY_QUEUED = family('argus_history_results_queued', 'gauge', 'Results waiting to be written to history.');
const HISTORY_HEALTHY = family(
  'argus_history_healthy',
  'gauge',
  'Whether history writes currently succeed (0 while a problem keeps them waiting).',
);

export interface SinkCounters {
  label: string;
  type: string;
  droppedBatches: number;
  delivery?: { sentPoints: number; rejectedPoints: number; droppedPoints: number; queuedPoints: number };
}

export interface SelfState {
  reloadOk: boolean;
  lastReloadSuccessSeconds: number;
  lastCycleSeconds?: number;
  lastCycleDurationSeconds?: number;
  sinks?: readonly SinkCounters[];
  history?: HistoryStats | undefined;
}

const startSeconds = Math.round(Date.now() / 1000 - process.uptime());

function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined; // not Linux: leave the series out rather than report a made-up zero
  }
}

/**
 * What client_golang's process collector also reads (the "Exporter Processes Memory" panel of host dashboards):
 * VmSize, and the soft limits on address space and open files. Linux only; elsewhere nothing.
 */
function processLimits(): ExportedSample[] {
  try {
    const samples: ExportedSample[] = [];
    const vmSize = /^VmSize:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (vmSize) samples.push({ family: VIRTUAL, value: Number(vmSize[1]) * 1024 });
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = (name: string): number | undefined => {
      const text = new RegExp(`^${name}\\s+(\\S+)`, 'm').exec(limits)?.[1];
      return text === undefined ? undefined : text === 'unlimited' ? UNLIMITED : Number(text);
    };
    const addressSpace = soft('Max address space');
    if (addressSpace !== undefined) samples.push({ family: VIRTUAL_MAX, value: addressSpace });
    const files = soft('Max open files');
    if (files !== undefined) samples.push({ family: MAX_FDS, value: files });
    return samples;
  } catch {
    return [];
  }
}

/** Argus' own health, gathered once per cycle with the checks (a scrape never measures anything). */
export function selfMetrics(state: SelfState): ExportedSample[] {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const samples: ExportedSample[] = [
    { family: BUILD_INFO, labels: { version: VERSION, nodejs: process.version }, value: 1 },
    { family: RELOAD_OK, value: state.reloadOk ? 1 : 0 },
    { family: RELOAD_AT, value: state.lastReloadSuccessSeconds },
  ];
  if (state.lastCycleSeconds !== undefined) samples.push({ family: CYCLE_AT, value: state.lastCycleSeconds });
  if (state.lastCycleDurationSeconds !== undefined)
    samples.push({ family: CYCLE_DURATION, value: state.lastCycleDurationSeconds });
  samples.push(
    { family: CPU, value: (cpu.user + cpu.system) / 1e6 },
    { family: RSS, value: memory.rss },
    { family: HEAP, value: memory.heapUsed },
    { family: START, value: startSeconds },
  );
  for (const sink of state.sinks ?? []) {
    const labels = { sink: sink.label, type: sink.type };
    samples.push({ family: SINK_BEHIND, labels, value: sink.droppedBatches });
    if (!sink.delivery) continue;
    samples.push(
      { family: SINK_SENT, labels, value: sink.delivery.sentPoints },
      { family: SINK_REJECTED, labels, value: sink.delivery.rejectedPoints },
      { family: SINK_DROPPED, labels, value: sink.delivery.droppedPoints },
      { family: SINK_QUEUED, labels, value: sink.delivery.queuedPoints },
    );
  }
  if (state.history) {
    const history = state.history;
    samples.push(
      { family: HISTORY_WRITTEN, value: history.writtenCycles },
      ...Object.entries(history.failures).map(([kind, value]) => ({
        family: HISTORY_FAILURES,
        labels: { kind },
        value,
      })),
      { family: HISTORY_DROPPED, value: history.droppedResults },
      { family: HISTORY_QUEUED, value: history.queuedResults },
      { family: HISTORY_HEALTHY, value: history.healthy ? 1 : 0 },
    );
  }
  const fds = openFds();
  if (fds !== undefined) samples.push({ family: FDS, value: fds });
  samples.push(...processLimits());
  return samples;
}
