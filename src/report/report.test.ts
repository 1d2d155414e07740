import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import type { Status } from '../result.ts';
import { HistoryDb, type RecordedResult } from '../store/history-db.ts';
import { HOUR_MS } from '../store/history-maintenance.ts';
import type { ChartSet } from '../charts/chart-set.ts';
import { buildReport, TREND_POINTS } from './build-report.ts';
import { parseCsv } from '../../test/helpers/rfc4180.ts';
import { checkTimeZone, formatDuration, formatMetricValue, formatTime, sparkline, timeZoneName } from './format.ts';
import { renderReportCsv, reportToJson } from './render-data.ts';
import { renderReportHtml } from './render-html.ts';
import { renderReportMarkdown, renderReportTable } from './render-text.ts';
import { cellWidth } from '../format/cells.ts';

process.env.TZ = 'UTC';
const T0 = Date.UTC(2026, 10, 26, 20, 0, 0);
const MINUTE = 60_000;
const HOSTILE = '/mnt/a,"b"\nc|d</script>';

const disk = (ts: number, used: number, status: Status): RecordedResult => ({
  check: 'disk',
  instance: HOSTILE,
  status,
  details: `${used}% used`,
  ts,
  metrics: { used_percent: used, free_bytes: (100 - used) * 2 ** 30 },
  ...(status === 'OK' || status === 'UNKNOWN'
    ? {}
    : { breach: { metric: 'used_percent', value: used, level: status === 'CRIT' ? 'crit' : 'warn', worse: 'higher' } }),
});

/**
 * Last night, one sample a minute from 20:00 to 06:00. The disk sits at 50 %, goes WARN (92) at 23:00, CRIT (97,
 * peaking at 98) at 23:10, WARN (91) at 23:20, OK again at 23:30; it goes CRIT (96) at 05:50 and still is at the end.
 */
function lastNight(): HistoryDb {
  const history = new HistoryDb(join(mkdtempSync(join(tmpdir(), 'argus-report-')), 'history.db'), {
    retentionMs: 30 * 24 * HOUR_MS,
    now: () => T0 + 10 * HOUR_MS,
  });
  for (let minute = 0; minute < 600; minute++) {
    let used = 50;
    if (minute >= 180 && minute < 190) used = 92;
    if (minute >= 190 && minute < 200) used = minute === 195 ? 98 : 97;
    if (minute >= 200 && minute < 210) used = 91;
    if (minute >= 590) used = 96;
    const status: Status = used >= 95 ? 'CRIT' : used >= 90 ? 'WARN' : 'OK';
    history.record({ host: 'db1', intervalMs: MINUTE, results: [disk(T0 + minute * MINUTE, used, status)] });
  }
  history.maintain();
  return history;
}

const at = (minute: number) => T0 + minute * MINUTE;

test('a report over last night: statistics, time per status, and the incidents with their worst value', () => {
  const history = lastNight();
  const report = buildReport(history.db, { since: T0, until: at(600) });
  assert.equal(report.source, 'raw');
  assert.equal(report.host, 'db1');
  const used = report.metrics.find((metric) => metric.metric === 'used_percent')!;
  assert.deepEqual(
    [used.samples, used.min, used.max, used.last, used.lastTime, used.p95],
    [600, 50, 98, 96, at(599), 91],
  );
  assert.ok(Math.abs(used.avg - 31_761 / 600) < 1e-9);
  assert.equal(used.trend.length, TREND_POINTS);
  assert.equal(used.trend.at(-1), (15 * 50 + 10 * 96) / 25, 'the last slice: 15 minutes at 50 %, 10 at 96 %');
  assert.equal(used.chart, undefined, 'no chart unless the HTML page asks for one');
  assert.deepEqual(report.statuses, [
    {
      check: 'disk',
      instance: HOSTILE,
      seconds: { OK: 560 * 60, WARN: 20 * 60, CRIT: 20 * 60, UNKNOWN: 0 },
      incidents: 2,
    },
  ]);
  assert.deepEqual(
    report.incidents.map((incident) => [
      incident.status,
      incident.start,
      incident.end,
      incident.ongoing,
      incident.metric,
      incident.worstValue,
      incident.details,
    ]),
    [
      ['CRIT', at(180), at(210), false, 'used_percent', 98, '98% used'],
      ['CRIT', at(590), at(600), true, 'used_percent', 96, '96% used'],
    ],
  );
  history.close();
});

test('a window past 48 hours reads hourly rollups: same min, max, avg and last, p95 as an upper estimate', () => {
  const history = lastNight();
  const report = buildReport(history.db, { since: T0 - 3 * 24 * HOUR_MS, until: at(600), charts: true });
  assert.equal(report.source, 'hourly');
  const used = report.metrics.find((metric) => metric.metric === 'used_percent')!;
  assert.deepEqual([used.samples, used.min, used.max, used.last], [600, 50, 98, 96]);
  assert.ok(Math.abs(used.avg - 31_761 / 600) < 1e-9);
  assert.equal(used.p95, 97, 'the count-weighted p95 of hourly p95s');
  assert.equal(report.from, T0, 'trends and charts span the data, not three empty days before it');
  assert.ok(used.chart && 'x' in used.chart);
  assert.equal(used.chart.x.length, 10, 'one chart point per hour, joined: no gap between consecutive hours');
  assert.equal(used.chart.intervalMs, HOUR_MS);
  history.close();
});

test('past 48 hours, the report without charts (SQLite sums the hours) says exactly what the one with them says', () => {
  const history = lastNight();
  // Minutes of a new hour, not packed yet: summarized from their samples on both paths.
  for (let minute = 600; minute < 606; minute++)
    history.record({ host: 'db1', intervalMs: MINUTE, results: [disk(at(minute), 99.5, 'CRIT')] });
  const window = { since: T0 - 3 * 24 * HOUR_MS, until: at(610) };
  const summed = buildReport(history.db, window);
  const folded = buildReport(history.db, { ...window, charts: true });
  assert.deepEqual(
    summed.metrics,
    folded.metrics.map(({ chart: _chart, ...metric }) => metric),
  );
  const used = summed.metrics.find((metric) => metric.metric === 'used_percent')!;
  assert.deepEqual([used.samples, used.last, used.lastTime, used.max], [606, 99.5, at(600), 99.5]);
  history.close();
});

test('filters narrow the report to a check, an instance or a metric', () => {
  const history = lastNight();
  const window = { since: T0, until: at(600) };
  assert.deepEqual(
    buildReport(history.db, { ...window, metric: 'free_bytes' }).metrics.map((metric) => metric.metric),
    ['free_bytes'],
  );
  // The metric narrows the statistics, not the time in each status: OK spans name no metric.
  assert.deepEqual(
    buildReport(history.db, { ...window, metric: 'free_bytes' }).statuses,
    buildReport(history.db, window).statuses,
  );
  const none = buildReport(history.db, { ...window, check: 'cpu' });
  assert.deepEqual([none.metrics.length, none.statuses.length, none.incidents.length], [0, 0, 0]);
  assert.equal(buildReport(history.db, { ...window, instance: HOSTILE }).metrics.length, 2);
  history.close();
});

test('every format renders the same report; hostile instance names stay data in each of them', () => {
  const history = lastNight();
  const report = buildReport(history.db, { since: T0, until: at(600), charts: true });
  history.close();

  const table = renderReportTable(report, { color: false, columns: 160 });
  assert.match(table, /Argus report for db1: 2026-11-26 20:00 to 2026-11-27 06:00 \(UTC\), from every sample/);
  assert.match(table, /Incidents \(2\)/);
  assert.match(table, /used_percent=98\.0%/);
  assert.match(table, /ongoing/);
  assert.match(table, /[▁▂▃▄▅▆▇█]{3}/);
  // A series that never moved (a disk's size) is left out, and said so, unless --all.
  const size = { ...report.metrics[1]!, metric: 'total_bytes', min: 2 ** 40, max: 2 ** 40, avg: 2 ** 40 };
  const withSize = { ...report, metrics: [...report.metrics, size] };
  const quiet = renderReportTable(withSize, { color: false, columns: 160 });
  assert.doesNotMatch(quiet, /total_bytes/);
  assert.match(quiet, /1 constant series left out \(cores, totals, idle interfaces\); --all shows them/);
  assert.match(renderReportTable(withSize, { color: false, columns: 160, all: true }), /total_bytes/);
  assert.doesNotMatch(table, /constant series/, 'nothing left out, nothing said');
  // One sample is not a series that never moved: right after the first cycle the report shows it.
  const first = { ...size, samples: 1 };
  assert.match(renderReportTable({ ...report, metrics: [first] }, { color: false, columns: 160 }), /total_bytes/);
  // At 80 columns every line fits: no trend column, the instance and the details cut to what is left.
  for (const columns of [80, 100]) {
    const narrow = renderReportTable(report, { color: true, columns });
    for (const line of narrow.split('\n').slice(1))
      assert.ok(cellWidth(stripVTControlCharacters(line)) <= columns, `${columns}: "${line}"`);
    assert.doesNotMatch(narrow, /[▁▂▃▄▅▆▇█]{3}/, 'the sparkline only from 110 columns');
  }

  const markdown = renderReportMarkdown(report);
  assert.ok(markdown.includes('/mnt/a,"b" c\\|d</script>'), 'pipes escaped, newlines flattened');
  assert.match(markdown, /^# Argus report for db1/);

  const rows = parseCsv(renderReportCsv(report));
  assert.deepEqual(rows[0]!.slice(0, 4), ['check', 'instance', 'metric', 'samples']);
  assert.deepEqual(rows[1]!.slice(0, 4), ['disk', HOSTILE, 'used_percent', '600']);
  assert.deepEqual(rows[1]!.slice(-5), ['33600', '1200', '1200', '0', '2']);
  assert.equal(rows.length, 3);

  const json = reportToJson(report) as { incidents: { start: string; duration_seconds: number }[]; since: string };
  assert.equal(json.since, '2026-11-26T20:00:00.000Z');
  assert.deepEqual(
    json.incidents.map((incident) => [incident.start, incident.duration_seconds]),
    [
      ['2026-11-26T23:00:00.000Z', 1800],
      ['2026-11-27T05:50:00.000Z', 600],
    ],
  );

  const html = renderReportHtml(report);
  assert.equal(html.match(/<script/g)?.length, 2, 'the data and the page script; nothing injected');
  assert.ok(!html.includes(HOSTILE) && html.includes('/mnt/a,&quot;b&quot;'), 'the name is escaped in HTML');
  assert.doesNotMatch(html, /\s(src|href)=/, 'nothing is loaded from anywhere');
  assert.match(
    html,
    /Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-/,
  );
  assert.doesNotMatch(html, /unsafe-inline/);
  const data = JSON.parse(
    /<script id="argus-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!,
  ) as ChartSet;
  assert.deepEqual(
    data.charts.map((chart) => chart.metric),
    ['used_percent', 'free_bytes'],
  );
  const used = data.charts[0]!.series!;
  assert.ok(used.avg.some((value) => value !== null && value * used.q === 96));
  assert.equal(data.timeZone, 'UTC');
  assert.match(html, /Every time on this page is UTC/);
});

test('report times in one zone: UTC and local without ICU, any IANA zone through it, a bad zone refused', () => {
  const at = Date.UTC(2026, 0, 2, 3, 4, 5);
  assert.equal(formatTime(at, 'UTC'), '2026-01-02 03:04');
  assert.equal(formatTime(at, 'UTC', true), formatTime(at, 'Etc/UTC', true), 'the fast path agrees with Intl');
  assert.equal(formatTime(at, 'Asia/Tokyo', true), '2026-01-02 12:04:05');
  assert.equal(formatTime(at, 'local', true), '2026-01-02 03:04:05', 'this test process runs with TZ=UTC');
  assert.equal(checkTimeZone('Europe/Berlin'), 'Europe/Berlin');
  assert.throws(() => checkTimeZone('Mars/Olympus'), RangeError);
  assert.equal(timeZoneName('UTC'), 'UTC');
});

test('report formatting helpers: units by suffix, two-unit durations, sparklines with gaps', () => {
  assert.equal(formatMetricValue('free_bytes', 1536), '1.5 KiB');
  assert.equal(formatMetricValue('rx_bytes_per_second', 2048), '2.0 KiB/s');
  assert.equal(formatMetricValue('used_percent', 12.345), '12.3%');
  assert.equal(formatMetricValue('load1', 0.456), '0.46');
  assert.equal(formatMetricValue('cores', 8), '8');
  assert.equal(formatMetricValue('rx_packets_per_second', 1234.5), '1235');
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(3725), '1h 2m');
  assert.equal(formatDuration(2 * 86_400 + 7200 + 5), '2d 2h');
  assert.equal(formatDuration(59.6), '1m');
  assert.equal(sparkline([0, 1, 2, null, 7]), '▁▂▃ █');
  assert.equal(sparkline([5, 5]), '▁▁');
  assert.equal(sparkline([null, null]), '  ');
});
