import { csvField } from '../format/csv-field.ts';
import type { Report } from './build-report.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

/** JSON for scripts: ISO-8601 times, raw numbers, no chart points (use --html for those). */
export function reportToJson(report: Report): unknown {
  return {
    host: report.host ?? null,
    since: iso(report.since),
    until: iso(report.until),
    data_from: iso(report.from),
    data_to: iso(report.to),
    source: report.source,
    metrics: report.metrics.map(({ chart: _chart, lastTime, ...metric }) => ({ ...metric, last_time: iso(lastTime) })),
    statuses: report.statuses,
    incidents: report.incidents.map((incident) => ({
      ...incident,
      start: iso(incident.start),
      end: iso(incident.end),
      duration_seconds: Math.round((incident.end - incident.start) / 1000),
    })),
  };
}

const CSV_COLUMNS = [
  'check',
  'instance',
  'metric',
  'samples',
  'min',
  'avg',
  'p95',
  'max',
  'last',
  'last_time',
  'ok_seconds',
  'warn_seconds',
  'crit_seconds',
  'unknown_seconds',
  'incidents',
];

/** One RFC 4180 row per check, instance and metric, with the time that result spent in each status. */
export function renderReportCsv(report: Report): string {
  const statuses = new Map(report.statuses.map((entry) => [`${entry.check}\0${entry.instance}`, entry]));
  const rows = report.metrics.map((metric) => {
    const status = statuses.get(`${metric.check}\0${metric.instance}`);
    const seconds = status?.seconds;
    return [
      csvField(metric.check),
      csvField(metric.instance),
      csvField(metric.metric),
      ...[metric.samples, metric.min, metric.avg, metric.p95, metric.max, metric.last].map((value) =>
        csvField(value, false),
      ),
      csvField(iso(metric.lastTime)),
      ...[seconds?.OK, seconds?.WARN, seconds?.CRIT, seconds?.UNKNOWN, status?.incidents].map((value) =>
        csvField(value === undefined ? undefined : Math.round(value), false),
      ),
    ].join(',');
  });
  return [CSV_COLUMNS.join(','), ...rows].map((row) => `${row}\r\n`).join('');
}
