import Table from 'cli-table3';
import { styleText } from 'node:util';
import type { Status } from '../result.ts';
import type { Report } from './build-report.ts';
import { formatDuration, formatMetricValue, formatTime, sparkline, timeZoneName } from './format.ts';

const STATUS_STYLE: Record<Status, Parameters<typeof styleText>[0]> = {
  OK: 'green',
  WARN: 'yellow',
  CRIT: ['red', 'bold'],
  UNKNOWN: 'magenta',
};

export function reportHeading(report: Report): string {
  const source = report.source === 'raw' ? 'every sample' : 'hourly rollups (p95 from hourly p95s, an upper estimate)';
  // Said only when it matters: a week asked for, two days recorded.
  const data =
    report.from - report.since + (report.until - report.to) > 0.02 * (report.until - report.since)
      ? `; data from ${formatTime(report.from, report.timeZone)} to ${formatTime(report.to, report.timeZone)}`
      : '';
  return `Argus report for ${report.host ?? 'unknown host'}: ${formatTime(report.since, report.timeZone)} to ${formatTime(report.until, report.timeZone)} (${timeZoneName(report.timeZone)})${data}, from ${source}`;
}

const statsRow = (metric: Report['metrics'][number]): string[] => [
  metric.check,
  metric.instance,
  metric.metric,
  ...[metric.min, metric.avg, metric.p95, metric.max, metric.last].map((value) =>
    formatMetricValue(metric.metric, value),
  ),
];

/** The terminal has room for the breach ("[CRIT usage_percent=100 (>= 70)]"), not the whole summary line. */
const shortDetails = (details: string): string => /\[([^\]]+)\]$/.exec(details)?.[1] ?? details;

export const incidentRow = (incident: Report['incidents'][number], timeZone: string, short = false): string[] => [
  incident.check,
  incident.instance,
  incident.status,
  formatTime(incident.start, timeZone, true),
  incident.ongoing ? 'ongoing' : formatTime(incident.end, timeZone, true),
  formatDuration((incident.end - incident.start) / 1000),
  incident.metric !== null && incident.worstValue !== null
    ? `${incident.metric}=${formatMetricValue(incident.metric, incident.worstValue)}`
    : '',
  short ? shortDetails(incident.details) : incident.details,
];

const statusRow = (entry: Report['statuses'][number]): string[] => {
  const total = Object.values(entry.seconds).reduce((sum, seconds) => sum + seconds, 0);
  const ok = total > 0 ? (entry.seconds.OK / total) * 100 : 0;
  return [
    entry.check,
    entry.instance,
    `${ok.toFixed(ok === 100 || ok === 0 ? 0 : 2)}%`,
    formatDuration(entry.seconds.WARN),
    formatDuration(entry.seconds.CRIT),
    formatDuration(entry.seconds.UNKNOWN),
    String(entry.incidents),
  ];
};

const STATS_HEAD = ['CHECK', 'INSTANCE', 'METRIC', 'MIN', 'AVG', 'P95', 'MAX', 'LAST'];
const STATUS_HEAD = ['CHECK', 'INSTANCE', 'OK', 'WARN', 'CRIT', 'UNKNOWN', 'INCIDENTS'];
const INCIDENT_HEAD = ['CHECK', 'INSTANCE', 'WORST', 'START', 'END', 'DURATION', 'WORST VALUE', 'DETAILS'];

/** The terminal report: statistics with a trend sparkline, time per status, and the incident list. */
export function renderReportTable(report: Report, options: { color: boolean; columns: number }): string {
  const style = { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [] };
  const chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };
  const stats = new Table({ head: [...STATS_HEAD, 'TREND'], style, chars });
  for (const metric of report.metrics) stats.push([...statsRow(metric), sparkline(metric.trend)]);
  const statuses = new Table({ head: STATUS_HEAD, style, chars });
  for (const entry of report.statuses) statuses.push(statusRow(entry));
  const paint = (status: Status) => (options.color ? styleText(STATUS_STYLE[status], status) : status);
  const incidents = new Table({ head: INCIDENT_HEAD, style, chars });
  for (const incident of report.incidents) {
    const row = incidentRow(incident, report.timeZone, true);
    row[2] = paint(incident.status);
    incidents.push(row);
  }
  return [
    reportHeading(report),
    '',
    stats.toString(),
    '',
    'Time in each status',
    statuses.toString(),
    '',
    report.incidents.length === 0 ? 'No incidents: every check stayed OK.' : `Incidents (${report.incidents.length})`,
    ...(report.incidents.length === 0 ? [] : [incidents.toString()]),
    '',
  ].join('\n');
}

const markdownCell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function markdownTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
  return [line(head), `|${head.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

/** For a ticket or a wiki page: the same three tables in GitHub-flavoured Markdown. */
export function renderReportMarkdown(report: Report): string {
  return [
    `# ${reportHeading(report)}`,
    '',
    '## Metrics',
    '',
    markdownTable(
      [...STATS_HEAD, 'TREND'],
      report.metrics.map((metric) => [...statsRow(metric), sparkline(metric.trend)]),
    ),
    '',
    '## Time in each status',
    '',
    markdownTable(STATUS_HEAD, report.statuses.map(statusRow)),
    '',
    '## Incidents',
    '',
    report.incidents.length === 0
      ? 'No incidents: every check stayed OK.'
      : markdownTable(
          INCIDENT_HEAD,
          report.incidents.map((incident) => incidentRow(incident, report.timeZone)),
        ),
    '',
  ].join('\n');
}
