import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HistoryDb } from '../store/history-db.ts';
import { HOUR_MS } from '../store/history-maintenance.ts';
import { openHistoryForReading } from '../store/history-read.ts';
import { answerHistoryQuery, HISTORY_LIMITS } from './history-api.ts';

const DAY = 24 * HOUR_MS;
const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);

/** Three days of ram and two disks every 10 minutes; ram counts 0, 1, 2 … so averages are checkable. */
function threeDays() {
  const path = join(mkdtempSync(join(tmpdir(), 'argus-history-api-')), 'history.db');
  const now = { t: T0 };
  const history = new HistoryDb(path, { retentionMs: 30 * DAY, now: () => now.t });
  for (let index = 0; index < (3 * DAY) / 600_000; index++) {
    const ts = T0 + index * 600_000;
    history.record({
      intervalMs: 600_000,
      results: ['/', '/boot'].map((mount) => ({
        check: 'disk',
        instance: mount,
        status: 'OK' as const,
        details: '',
        ts,
        metrics: { used_percent: mount === '/' ? 50 : 70 },
      })),
    });
    history.record({
      intervalMs: 600_000,
      results: [{ check: 'ram', instance: '', status: 'OK', details: '', ts, metrics: { used_percent: index } }],
    });
    now.t = ts;
    if (index % 36 === 0) history.maintain();
  }
  history.maintain();
  history.close();
  return { db: openHistoryForReading(path), end: T0 + 3 * DAY };
}

const { db, end } = threeDays();
interface Body {
  error: string;
  data: {
    source: string;
    step_seconds: number;
    series: { check: string; instance: string; metric: string; points: [number, number][] }[];
  };
}

const ask = (query: string, now = end) => {
  const answer = answerHistoryQuery(db, new URLSearchParams(query), now);
  return { status: answer.status, body: JSON.parse(answer.body.toString()) as Body };
};

test('answerHistoryQuery() averages raw samples per step over a window', () => {
  const { status, body } = ask(`check=ram&metric=used_percent&since=${(end - HOUR_MS) / 1000}&step=30m`);
  assert.equal(status, 200);
  assert.equal(body.data.source, 'samples');
  assert.equal(body.data.step_seconds, 1800);
  const [series] = body.data.series;
  assert.deepEqual([series?.check, series?.instance, series?.metric], ['ram', '', 'used_percent']);
  // The last hour holds samples 426..431: steps of three, averaged.
  assert.deepEqual(series?.points, [
    [end - HOUR_MS, 427],
    [end - HOUR_MS / 2, 430],
  ]);
});

test('answerHistoryQuery() reads hourly rollups past 48 hours, filtered by instance', () => {
  const { status, body } = ask('check=disk&instance=/boot&since=3d&step=1d');
  assert.equal(status, 200);
  assert.equal(body.data.source, 'hourly rollups');
  assert.equal(body.data.series.length, 1);
  const points = body.data.series[0]?.points ?? [];
  assert.ok(points.length >= 3 && points.every(([, value]) => value === 70));
});

test('answerHistoryQuery() refuses unbounded answers and bad parameters with a reason', () => {
  const tooFine = ask('since=2d&step=1s');
  assert.equal(tooFine.status, 400);
  assert.match(tooFine.body.error, new RegExp(`exceeds ${HISTORY_LIMITS.maxPoints} points; raise step`));
  assert.equal(ask('since=yesterday').status, 400);
  assert.match(ask('since=1h&until=2h').body.error, /since must be before until/);
  assert.match(ask('step=-5').body.error, /step must be a duration/);
  const empty = ask('check=nothing');
  assert.equal(empty.status, 200);
  assert.deepEqual(empty.body.data.series, []);
});

// The attack battery: a step longer than the window stamped the points 1970 (steps counted from the epoch), and
// since=1000000000000h was accepted.
test('answerHistoryQuery() counts steps from since, and refuses times before 1970 or past retention', () => {
  const since = end - HOUR_MS;
  const { status, body } = ask(`check=ram&metric=used_percent&since=${since / 1000}&step=100d`);
  assert.equal(status, 200);
  assert.deepEqual(body.data.series[0]?.points, [[since, 428.5]], 'one point, at since: the mean of 426..431');
  const stepped = ask(`check=ram&metric=used_percent&since=${(since + 7 * 60_000) / 1000}&step=20m`);
  assert.deepEqual(
    stepped.body.data.series[0]?.points.map(([at]) => (at - since) / 60_000),
    [7, 27, 47],
    'steps start at since, not at multiples of the step',
  );
  assert.match(ask('since=1000000000000h').body.error, /since must be at most 3650d ago/);
  assert.match(ask('until=99999999999999').body.error, /until must fall between 1970 and 9999/);
  assert.equal(ask('since=3650d').status, 200);
});
