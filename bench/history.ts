// The history figures of issue #3: write cost on the collection thread, the size of 30 days at 10 s, report times.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createLogRouter } from '../src/log/logger.ts';
import { monotonicMs } from '../src/platform/monotonic.ts';
import type { Batch } from '../src/result.ts';
import { startHistoryRecorder } from '../src/store/history-recorder.ts';
import { generateHistory } from '../test/helpers/synthetic-history.ts';

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

/** 30 days of 10 s cycles with this host's real series (test/helpers/synthetic-history.ts). */
export const generateMonth = (batch: Batch, path: string, endMs: number) =>
  generateHistory(batch, path, endMs, { days: 30, intervalMs: 10_000 });

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
