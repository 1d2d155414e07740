// Writes cycles into a history as fast as it can, packing and pruning as it goes, until it is killed.
// The SIGKILL test runs it as a child and checks the database afterwards.
import { HistoryDb } from '../../src/store/history-db.ts';
import { HOUR_MS } from '../../src/store/history-maintenance.ts';

const path = process.argv[2]!;
const history = new HistoryDb(path, { retentionMs: 2 * HOUR_MS });
let ts = Date.UTC(2026, 10, 1);
for (let cycle = 0; ; cycle++) {
  ts += 10_000;
  history.record({
    intervalMs: 10_000,
    results: Array.from({ length: 8 }, (_, index) => ({
      check: 'disk',
      instance: `/mnt/${index}`,
      status: cycle % 50 < 5 ? ('WARN' as const) : ('OK' as const),
      details: 'x',
      ts,
      metrics: { used_percent: (cycle * 7 + index) % 100, free_bytes: 1e9 - cycle * 4096 },
    })),
  });
  if (cycle % 200 === 0) history.maintain();
  if (cycle === 50) process.stdout.write('writing\n');
}
