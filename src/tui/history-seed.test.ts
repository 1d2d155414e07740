import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureHost, manualClock } from '../../test/helpers/fixture-host.ts';
import { HistoryDb } from '../store/history-db.ts';
import { seedFromHistory, spreadOverSteps } from './history-seed.ts';
import { HISTORY_POINTS, TopData } from './top-data.ts';

test('a recorded sample fills the refresh steps its cycle spanned, and a stopped loop leaves a gap', () => {
  // A minute's interval; samples at 0, 60 and 200 s (a late cycle), drawn in 20 s steps from t=0.
  const steps = spreadOverSteps([0, 60_000, 200_000], [10, 20, 30], 0, 20_000, 12, 60_000);
  assert.deepEqual(steps, [10, 10, 10, 20, 20, 20, 20, 20, 20, 20, 30, 30]);
  const stopped = spreadOverSteps([0, 500_000], [1, 2], 0, 20_000, 5, 60_000);
  assert.deepEqual(stopped, [1, 1, 1, undefined, undefined], 'a stopped loop leaves a gap after one interval');
});

test('top opens with the sparklines of the last minutes from the history, and without one starts empty', () => {
  const now = Date.UTC(2026, 11, 5, 12);
  const path = join(mkdtempSync(join(tmpdir(), 'argus-seed-')), 'history.db');
  const history = new HistoryDb(path, { retentionMs: 86_400_000, now: () => now });
  for (let minute = 10; minute >= 1; minute -= 1) {
    const ts = now - minute * 60_000;
    history.record({
      intervalMs: 60_000,
      results: [
        { check: 'cpu', instance: '', status: 'OK', details: '', ts, metrics: { usage_percent: minute * 10 } },
        {
          check: 'ram',
          instance: '',
          status: minute <= 3 ? 'WARN' : 'OK',
          details: minute <= 3 ? '88.0% used [WARN used_percent=88 (≥ 85)]' : '',
          ts,
          metrics: { used_percent: 40 },
        },
        {
          check: 'network',
          instance: 'eth0',
          status: 'OK',
          details: '',
          ts,
          metrics: { rx_bytes_per_second: 1000 * minute, tx_bytes_per_second: 5 },
        },
      ],
    });
  }
  history.close();
  const data = new TopData(fixtureHost('procs', 0), manualClock().monotonicMs);
  assert.equal(seedFromHistory(data, path, 2, 60, now), true);
  const cpu = data.cpuHistory.all;
  assert.equal(cpu.length, HISTORY_POINTS);
  assert.equal(cpu.filter((value) => value !== undefined).length, 300, 'ten minutes of 2 s steps, all covered');
  assert.equal(cpu[0], 100, 'ten minutes ago: 100 %');
  assert.equal(cpu.at(-1), 10, 'the last minute: 10 %');
  assert.equal(data.memoryHistory.last, 40);
  assert.equal(data.networkHistory.get('eth0')?.rx.last, 1000);
  assert.deepEqual(
    data.events.map((event) => [event.check, event.to, event.atMs]),
    [['ram', 'WARN', now - 3 * 60_000]],
    'the last hour of incidents, as recent events',
  );
  const empty = new TopData(fixtureHost('procs', 0), manualClock().monotonicMs);
  assert.equal(seedFromHistory(empty, join(tmpdir(), 'no-such-history.db'), 2, 60, now), false);
  assert.equal(empty.cpuHistory.all.length, 0);
});
