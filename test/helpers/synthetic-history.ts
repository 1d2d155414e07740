// Histories as long as a test or the bench needs, with a real host's series, written in seconds.
import { hostname } from 'node:os';
import { createHost } from '../../src/collect/host.ts';
import { validateConfig } from '../../src/config/validate.ts';
import { createCycle } from '../../src/engine/cycle.ts';
import { createLogRouter } from '../../src/log/logger.ts';
import { monotonicMs } from '../../src/platform/monotonic.ts';
import type { Batch } from '../../src/result.ts';
import { HistoryDb } from '../../src/store/history-db.ts';
import { HOUR_MS } from '../../src/store/history-maintenance.ts';
import { toRecordedCycle } from '../../src/store/history-recorder.ts';

/** The default checks' cycle on this machine, primed (rates have a first sample). */
export async function defaultCycle() {
  const result = validateConfig({});
  if (!result.ok) throw new Error('the default config is invalid');
  const cycle = createCycle(result.config, {
    host: createHost(),
    hostname: hostname(),
    logger: createLogRouter({ level: 'ERROR', outputs: [] }).logger,
    monotonicMs,
    now: () => new Date(),
  });
  const signal = new AbortController().signal;
  await cycle.prime(signal);
  return { cycle, signal };
}

/** One real cycle of the default checks on this machine: its cores, mounts and interfaces, rates included. */
export async function defaultChecksBatch(): Promise<Batch> {
  const { cycle, signal } = await defaultCycle();
  // Rates (cpu usage, disk I/O) need two samples at least 50 ms apart: a run right after the prime has none.
  await new Promise((resolve) => setTimeout(resolve, 250));
  return cycle.run(signal);
}

/**
 * `days` of cycles every `intervalMs` with this host's real series (its mounts and interfaces), values walking
 * around what the host measured: integers stay integers, idle counters stay mostly zero, fractions keep their noise.
 */
export function generateHistory(
  batch: Batch,
  path: string,
  endMs: number,
  { days, intervalMs }: { days: number; intervalMs: number },
): { samples: number; series: number; seconds: number } {
  const started = monotonicMs();
  const history = new HistoryDb(path, { retentionMs: (days + 1) * 86_400_000, now: () => endMs });
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
        if (/total|cores/.test(metric))
          value = base; // sizes and counts of the hardware do not move
        else if (Number.isInteger(base) && base > 1e6)
          value = Math.max(0, value + Math.round((random() - 0.5) * 8) * 4096);
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
