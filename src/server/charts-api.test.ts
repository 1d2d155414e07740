import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ChartSet } from '../charts/chart-set.ts';
import { mainMetricOf, metricLines } from '../checks/chart-lines.ts';
import { HistoryDb } from '../store/history-db.ts';
import { HOUR_MS } from '../store/history-maintenance.ts';
import { openHistoryForReading } from '../store/history-read.ts';
import { answerChartsQuery, type ChartDescriber } from './charts-api.ts';

const DAY = 24 * HOUR_MS;
const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
const END = T0 + 3 * DAY;
const describer: ChartDescriber = {
  describe: (check, instance, metric) =>
    metricLines(check, instance, metric, { disk: { instances: { '/boot': { crit: 95 } } } }),
  mainMetric: mainMetricOf,
};

/**
 * Three days every 10 minutes: disk / and /boot (used_percent and a constant total), an interface with no link
 * speed (no utilization_percent), and an hour of CRIT on /boot with a gap in its data.
 */
function threeDays() {
  const path = join(mkdtempSync(join(tmpdir(), 'argus-charts-api-')), 'history.db');
  const now = { t: T0 };
  const history = new HistoryDb(path, { retentionMs: 30 * DAY, now: () => now.t });
  for (let index = 0; index < (3 * DAY) / 600_000; index++) {
    const ts = T0 + index * 600_000;
    const crit = ts >= END - 3 * HOUR_MS && ts < END - 2 * HOUR_MS;
    const gap = ts >= END - 5 * HOUR_MS && ts < END - 4 * HOUR_MS;
    history.record({
      intervalMs: 600_000,
      results: [
        ...['/', '/boot'].flatMap((mount) =>
          mount === '/boot' && gap
            ? []
            : [
                {
                  check: 'disk',
                  instance: mount,
                  status: mount === '/boot' && crit ? ('CRIT' as const) : ('OK' as const),
                  details: '',
                  ts,
                  metrics: { used_percent: 40 + (index % 10), total_bytes: 1e9 },
                },
              ],
        ),
        { check: 'network', instance: 'eth0', status: 'OK', details: '', ts, metrics: { rx_bytes_per_second: index } },
      ],
    });
    now.t = ts;
    if (index % 36 === 0) history.maintain();
  }
  history.maintain();
  history.close();
  return openHistoryForReading(path);
}

const ask = (db: ReturnType<typeof threeDays>, query: string) => {
  const answer = answerChartsQuery(db, new URLSearchParams(query), describer, END);
  return { status: answer.status, body: JSON.parse(answer.body.toString()) as ChartSet & { error?: string } };
};

test('a range ending now: every series reduced, thresholds and units from the config, constants kept as values', () => {
  const db = threeDays();
  const { status, body } = ask(db, 'range=24h');
  assert.equal(status, 200);
  assert.deepEqual([body.grid.from, body.grid.to, body.grid.columns], [END - DAY, END, 400]);
  const boot = body.charts.find((chart) => chart.instance === '/boot' && chart.metric === 'used_percent')!;
  assert.deepEqual([boot.unit, boot.warn, boot.crit], ['percent', [80], [95]], 'the /boot override of crit');
  assert.ok(boot.series && boot.series.avg.includes(null), 'the hour without data is a gap');
  const total = body.charts.find((chart) => chart.metric === 'total_bytes')!;
  assert.deepEqual([total.constant, total.series], [1e9, undefined]);
  assert.deepEqual(
    body.incidents.map((incident) => [incident.instance, incident.status, incident.end - incident.start <= HOUR_MS]),
    [['/boot', 'CRIT', true]],
  );
  db.close();
});

test('main=1 keeps one series per instance: the main metric, or the first recorded where it never was', () => {
  const db = threeDays();
  const { body } = ask(db, 'range=1h&main=1&columns=60');
  assert.deepEqual(
    body.charts.map((chart) => [chart.check, chart.instance, chart.metric]),
    [
      ['disk', '/', 'used_percent'],
      ['disk', '/boot', 'used_percent'],
      ['network', 'eth0', 'rx_bytes_per_second'],
    ],
  );
  assert.equal(body.grid.columns, 60);
  db.close();
});

test('past 48 hours the rollups answer; since/until and a check filter narrow it; bad queries are 400s', () => {
  const db = threeDays();
  const week = ask(db, 'range=7d&check=network');
  assert.deepEqual(
    week.body.charts.map((chart) => chart.metric),
    ['rx_bytes_per_second'],
  );
  assert.equal(week.body.charts[0]!.series!.intervalMs, HOUR_MS, 'hourly points');
  const window = ask(db, `since=${(END - 2 * HOUR_MS) / 1000}&until=${END / 1000}&check=disk&instance=/`);
  assert.deepEqual([window.body.grid.from, window.body.charts.length], [END - 2 * HOUR_MS, 2]);
  for (const [query, message] of [
    ['range=2h', /range must be one of 15m, 1h, 6h, 24h, 7d, 30d/],
    ['columns=5', /columns must be a whole number from 10 to 1000/],
    ['columns=abc', /columns must be/],
    ['since=1h&until=2h', /since must be before until/],
    ['since=yesterday', /since must be a duration ago/],
  ] as const) {
    const answer = ask(db, query);
    assert.equal(answer.status, 400, query);
    assert.match(answer.body.error ?? '', message);
  }
  db.close();
});
