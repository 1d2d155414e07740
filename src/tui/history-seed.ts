import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { listSeries, openHistoryForReading, readSamples, readSpans } from '../store/history-read.ts';
import { HISTORY_POINTS, type TopData } from './top-data.ts';
import { Ring } from './widgets/ring.ts';

/**
 * The sparklines' past from the history database, so `argus top` opens on the last minutes rather than on an
 * empty line. History is kept per poll_interval (a minute by default) and the sparklines move per refresh: each
 * recorded sample fills the refreshes its cycle spanned, so the x axis is time throughout (a minute at a 2 s
 * refresh is 30 cells of one value), and no point is invented between samples that were never taken.
 */
export function spreadOverSteps(
  timestamps: ArrayLike<number>,
  values: ArrayLike<number>,
  fromMs: number,
  stepMs: number,
  steps: number,
  intervalMs: number,
): (number | undefined)[] {
  const out: (number | undefined)[] = Array.from({ length: steps });
  // Further apart than this, two samples have a gap between them: the loop was stopped.
  const gapMs = intervalMs * 2.5;
  for (let index = 0; index < timestamps.length; index += 1) {
    const start = timestamps[index] ?? 0;
    // A sample stands until the next one, or for one interval when the next is a gap away or yet to come.
    const next = timestamps[index + 1];
    const end = next !== undefined && next - start <= gapMs ? next : start + intervalMs;
    const first = Math.max(0, Math.floor((start - fromMs) / stepMs));
    const last = Math.min(steps - 1, Math.ceil((end - fromMs) / stepMs) - 1);
    for (let step = first; step <= last; step += 1) out[step] = values[index];
  }
  return out;
}

function seriesValues(
  db: Database.Database,
  check: string,
  instance: string,
  metric: string,
  window: { fromMs: number; stepMs: number; intervalMs: number },
): (number | undefined)[] | undefined {
  const series = listSeries(db, { check, instance, metric })[0];
  if (!series) return undefined;
  const samples = readSamples(db, series.id, window.fromMs, Number.POSITIVE_INFINITY);
  if (samples.timestamps.length === 0) return undefined;
  return spreadOverSteps(
    samples.timestamps,
    samples.values,
    window.fromMs,
    window.stepMs,
    HISTORY_POINTS,
    window.intervalMs,
  );
}

const fill = (ring: Ring, values: readonly (number | undefined)[]): void => {
  for (const value of values) ring.push(value);
};

/**
 * Fills the CPU, memory and network sparklines of `data` with the recorded past; false when there is no history
 * (a first run, storage off) or it cannot be read, which leaves the sparklines to start empty.
 */
export function seedFromHistory(
  data: TopData,
  path: string,
  refreshSeconds: number,
  pollSeconds: number,
  nowMs = Date.now(),
): boolean {
  if (!existsSync(path)) return false;
  let db: Database.Database | undefined;
  try {
    db = openHistoryForReading(path);
    const stepMs = refreshSeconds * 1000;
    const window = { fromMs: nowMs - HISTORY_POINTS * stepMs, stepMs, intervalMs: pollSeconds * 1000 };
    const cpu = seriesValues(db, 'cpu', '', 'usage_percent', window);
    const memory = seriesValues(db, 'ram', '', 'used_percent', window);
    if (cpu) fill(data.cpuHistory, cpu);
    if (memory) fill(data.memoryHistory, memory);
    for (const series of listSeries(db, { check: 'network', metric: 'rx_bytes_per_second' })) {
      const rx = seriesValues(db, 'network', series.instance, 'rx_bytes_per_second', window);
      const tx = seriesValues(db, 'network', series.instance, 'tx_bytes_per_second', window);
      if (!rx || !tx) continue;
      const rings = { rx: new Ring(HISTORY_POINTS), tx: new Ring(HISTORY_POINTS) };
      fill(rings.rx, rx);
      fill(rings.tx, tx);
      data.networkHistory.set(series.instance, rings);
    }
    // The last hour's incidents, as the check strip's recent events: spans that were not OK, by when they began.
    for (const span of readSpans(db, nowMs - 3_600_000, nowMs, {})) {
      if (span.status === 'OK') continue;
      data.addEvent({
        atMs: span.start,
        check: span.check,
        ...(span.instance === '' ? {} : { instance: span.instance }),
        to: span.status,
        details: span.details,
      });
    }
    return cpu !== undefined || memory !== undefined || data.events.length > 0;
  } catch {
    return false; // a busy, corrupt or newer database costs the sparklines their past, never the screen
  } finally {
    db?.close();
  }
}
