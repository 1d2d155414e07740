import type { Host } from '../collect/host.ts';
import {
  createProcessSampler,
  PROCESS_SORTS,
  sortProcesses,
  type ProcessRow,
  type ProcessSnapshot,
  type ProcessSort,
} from '../collect/process-sampler.ts';

export const DEFAULT_PROCESS_LIMIT = 20;
export const MAX_PROCESS_LIMIT = 1000;
/** A first read has no rates: the second one, this much later, gives CPU % and I/O rates over a real window. */
const FIRST_WINDOW_MS = 250;

/** One process as the API and `status -o json --processes` write it: snake_case, units in the names. */
export function processJson(row: ProcessRow) {
  return {
    pid: row.pid,
    ppid: row.ppid,
    name: row.name,
    user: row.user,
    state: row.state,
    cpu_percent: row.cpuPercent ?? null,
    memory_percent: row.memPercent,
    rss_bytes: row.rssBytes,
    threads: row.threads,
    read_bytes_per_second: row.readBytesPerSecond ?? null,
    write_bytes_per_second: row.writeBytesPerSecond ?? null,
    cpu_seconds: row.cpuTicks / 100,
    command: row.command,
  };
}

/** The top `limit` processes by a sort key, highest first, ties by PID. */
export function topProcesses(snapshot: ProcessSnapshot, sort: ProcessSort, limit: number, kernelThreads = true) {
  const rows = kernelThreads ? snapshot.processes : snapshot.processes.filter((row) => !row.kernelThread);
  return sortProcesses(rows, sort).slice(0, limit).map(processJson);
}

/**
 * GET /api/v1/processes?sort=cpu|memory|io|time&limit=N[&kernel_threads=0]: the process table (kernel threads left
 * out with kernel_threads=0, as `argus top` does by default) read at most once a second however many
 * ask (requests share the read, as /metrics' node series do), with rates since the previous read.
 */
export function createProcessesApi(options: { host: () => Host; monotonicMs: () => number; maxAgeMs?: number }) {
  const sampler = createProcessSampler(options.monotonicMs);
  const maxAgeMs = options.maxAgeMs ?? 1000;
  let latest: { snapshot: ProcessSnapshot; atMs: number } | undefined;
  let pending: Promise<ProcessSnapshot> | undefined;
  const read = async (): Promise<ProcessSnapshot> => {
    if (!latest) {
      sampler.sample(options.host());
      await new Promise((resolve) => setTimeout(resolve, FIRST_WINDOW_MS));
    }
    const snapshot = sampler.sample(options.host());
    latest = { snapshot, atMs: options.monotonicMs() };
    return snapshot;
  };
  return async (query: URLSearchParams): Promise<{ status: number; body: Buffer }> => {
    const sort = query.get('sort') ?? 'cpu';
    if (!(PROCESS_SORTS as readonly string[]).includes(sort))
      return problem(400, `sort must be one of ${PROCESS_SORTS.join(', ')} (got "${sort}")`);
    const limitText = query.get('limit') ?? String(DEFAULT_PROCESS_LIMIT);
    const limit = Number(limitText);
    if (!/^\d{1,4}$/.test(limitText) || limit < 1 || limit > MAX_PROCESS_LIMIT)
      return problem(400, `limit must be 1 to ${MAX_PROCESS_LIMIT} (got "${limitText}")`);
    let snapshot: ProcessSnapshot;
    if (latest && options.monotonicMs() - latest.atMs < maxAgeMs) snapshot = latest.snapshot;
    else {
      pending ??= read().finally(() => {
        pending = undefined;
      });
      snapshot = await pending;
    }
    const kernelThreads = query.get('kernel_threads') !== '0';
    const processes = topProcesses(snapshot, sort as ProcessSort, limit, kernelThreads);
    const body = { counts: snapshot.counts, sort, processes };
    return { status: 200, body: Buffer.from(`${JSON.stringify(body)}\n`) };
  };
}

const problem = (status: number, error: string) => ({ status, body: Buffer.from(`${JSON.stringify({ error })}\n`) });
