// The history figures of issue #3: write cost on the collection thread, the size of 30 days at 10 s, report times.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createLogRouter } from '../src/log/logger.ts';
import { monotonicMs } from '../src/platform/monotonic.ts';
import type { Batch } from '../src/result.ts';
import { HistoryDb } from '../src/store/history-db.ts';
import { HOUR_MS } from '../src/store/history-maintenance.ts';
import { startHistoryRecorder, toRecordedCycle } from '../src/store/history-recorder.ts';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Time spent on the collection thread per cycle: the whole write, one SQLite transaction, since there is no thread. */
export async function benchHistoryWrite(batch: Batch, dir: string): Promise<{ writeMs: number }> {
  const logger = createLogRouter({ level: 'ERROR', outputs: [] }).logger;
  const recorder = startHistoryRecorder({
    path: join(dir, 'write-cost.db'),
    retentionSeconds: 30 * 86_400,
    intervalMs: () => 10_000,
    logger,
    audit: () => undefined,
  });
  const times: number[] = [];
  for (let cycle = 0; cycle < 3000; cycle++) {
    const started = monotonicMs();
    recorder.record(batch);
    times.push(monotonicMs() - started);
  }
  await recorder.close();
  const dropped = recorder.stats()?.droppedResults ?? 0;
  if (dropped > 0) throw new Error(`the history write bench dropped ${dropped} results`);
  return { writeMs: median(times.slice(500)) };
}

/**
 * 30 days of 10 s cycles with this host's real series (its mounts and interfaces), values walking around what
 * the host measured: integers stay integers, idle counters stay mostly zero, fractions keep their noise.
 */
export function generateMonth(
  batch: Batch,
  path: string,
  endMs: number,
  days = 30,
): { samples: number; series: number; seconds: number } {
  const started = monotonicMs();
  const history = new HistoryDb(path, { retentionMs: (days + 1) * 86_400_000, now: () => endMs });
  const intervalMs = 10_000;
  const cycles = (days * 86_400_000) / intervalMs;
  const template = toRecordedCycle(batch, intervalMs);
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const walk = template.results.map((result) => ({ ...result.metrics }));
  let samples = 0;
  const start = endMs - cycles * intervalMs;
  for (let cycle = 0; cycle < cycles; cycle++) {
    const ts = start + cycle * intervalMs;
    const results = template.results.map((result, index) => {
      const state = walk[index]!;
      const metrics: Record<string, number> = {};
      for (const [metric, base] of Object.entries(result.metrics)) {
        let value = state[metric]!;
        if (Number.isInteger(base) && base > 1e6) value = Math.max(0, value + Math.round((random() - 0.5) * 8) * 4096);
        else if (base === 0) value = random() < 0.02 ? random() * 50 : 0;
        else if (metric.endsWith('_percent')) value = Math.min(100, Math.max(0, base + (random() - 0.5) * base * 0.4));
        else value = base * (0.8 + random() * 0.4);
        state[metric] = value;
        metrics[metric] = value;
        samples++;
      }
      return { ...result, ts: ts + index, metrics };
    });
    history.record({ host: batch.host, intervalMs, results });
    // The worker packs every 10 minutes; packing once per generated hour is the same work in fewer calls.
    if ((ts + intervalMs) % HOUR_MS < intervalMs) history.maintain();
  }
  history.maintain();
  history.close();
  return {
    samples,
    series: new Set(
      template.results.flatMap((r) => Object.keys(r.metrics).map((m) => `${r.check}\0${r.instance}\0${m}`)),
    ).size,
    seconds: (monotonicMs() - started) / 1000,
  };
}

export function fileSize(path: string): number {
  return statSync(path).size;
}

/** Median wall time of `argus report` runs against the generated month, interleaved with `node -e 0`. */
export function benchReport(
  cli: string,
  db: string,
  cwd: string,
  rounds = 15,
): Record<'node' | 'day' | 'month', number> {
  const commands = {
    node: [process.execPath, '-e', '0'],
    day: [process.execPath, cli, 'report', '--db', db, '--since', '24h', '-o', 'json'],
    month: [process.execPath, cli, 'report', '--db', db, '--since', '30d', '-o', 'json'],
  };
  const times: Record<string, number[]> = { node: [], day: [], month: [] };
  for (let round = 0; round < rounds + 1; round++) {
    for (const [name, argv] of Object.entries(commands)) {
      const started = monotonicMs();
      const run = spawnSync(argv[0]!, argv.slice(1), {
        cwd,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, XDG_STATE_HOME: join(cwd, '.state') },
      });
      if (run.status !== 0) throw new Error(`${argv.join(' ')} exited ${String(run.status)}: ${run.stderr.toString()}`);
      if (round > 0) times[name]!.push(monotonicMs() - started); // the first round warms the code cache
    }
  }
  return { node: median(times.node!), day: median(times.day!), month: median(times.month!) };
}
