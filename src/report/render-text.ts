import Table from 'cli-table3';
import { styleText } from 'node:util';
import { cellWidth, fit } from '../format/cells.ts';
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

/** One unit throughout (a duration per status, as the HTML page has it), then the share of time OK. */
const statusRow = (entry: Report['statuses'][number]): string[] => {
  const total = Object.values(entry.seconds).reduce((sum, seconds) => sum + seconds, 0);
  const ok = total > 0 ? (entry.seconds.OK / total) * 100 : 0;
  return [
    entry.check,
    entry.instance,
    formatDuration(entry.seconds.OK),
    formatDuration(entry.seconds.WARN),
    formatDuration(entry.seconds.CRIT),
    formatDuration(entry.seconds.UNKNOWN),
    `${ok.toFixed(ok === 100 || ok === 0 ? 0 : 2)}%`,
    String(entry.incidents),
  ];
};

const STATS_HEAD = ['CHECK', 'INSTANCE', 'METRIC', 'MIN', 'AVG', 'P95', 'MAX', 'LAST'];
const STATUS_HEAD = ['CHECK', 'INSTANCE', 'OK', 'WARN', 'CRIT', 'UNKNOWN', 'OK %', 'INCIDENTS'];
const INCIDENT_HEAD = ['CHECK', 'INSTANCE', 'WORST', 'START', 'END', 'DURATION', 'WORST VALUE', 'DETAILS'];

/** Below this many columns the trend sparkline is left out: the figures come first. */
const TREND_FROM_COLUMNS = 110;

/**
 * A table that fits `columns`: every column as wide as its widest cell, and the flexible one (a name, the details)
 * cut to what is left, so no line wraps in a terminal.
 */
function fittedTable(
  allHead: string[],
  allRows: string[][],
  options: {
    columns: number;
    flexible: readonly number[];
    /** Columns given up, in this order, while the table would not fit whole (an incident's worst value). */
    droppable?: readonly number[];
    style: Record<string, string[]>;
  },
): string {
  const natural = (column: number): number =>
    Math.max(cellWidth(allHead[column]!), ...allRows.map((row) => cellWidth(row[column] ?? ''))) + 2;
  let kept = allHead.map((_, column) => column);
  for (const column of options.droppable ?? []) {
    if (kept.reduce((sum, index) => sum + natural(index), kept.length + 1) <= options.columns) break;
    kept = kept.filter((index) => index !== column);
  }
  const head = kept.map((column) => allHead[column]!);
  const rows = allRows.map((row) => kept.map((column) => row[column] ?? ''));
  const flexible = options.flexible.map((column) => kept.indexOf(column)).filter((index) => index >= 0);
  const chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };
  const widths = head.map(
    (cell, index) => Math.max(cellWidth(cell), ...rows.map((row) => cellWidth(row[index] ?? ''))) + 2,
  );
  // What does not fit comes off the flexible columns, the first first, none below 8.
  let overflow = widths.reduce((sum, width) => sum + width, head.length + 1) - options.columns;
  for (const index of flexible) {
    const cut = Math.max(0, Math.min(overflow, widths[index]! - 8));
    widths[index]! -= cut;
    overflow -= cut;
  }
  const table = new Table({ head, style: options.style, chars, colWidths: widths, wordWrap: false });
  for (const row of rows)
    table.push(row.map((cell, index) => (flexible.includes(index) ? fit(cell, widths[index]! - 2).trimEnd() : cell)));
  return table.toString();
}

/**
 * The terminal report: statistics with a trend sparkline, time per status, and the incident list, each fitted to
 * the terminal's width. Series that never moved in the window (cores, totals, an idle interface) are left out
 * unless `all`: a line says how many. A series of one sample did not "never move": it is shown, or a report
 * right after the first cycle would be an empty table.
 */
export function renderReportTable(report: Report, options: { color: boolean; columns: number; all?: boolean }): string {
  const style = { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [] };
  const withTrend = options.columns >= TREND_FROM_COLUMNS;
  const moving = options.all
    ? report.metrics
    : report.metrics.filter((metric) => metric.min !== metric.max || metric.samples < 2);
  const constant = report.metrics.length - moving.length;
  const stats = fittedTable(
    withTrend ? [...STATS_HEAD, 'TREND'] : STATS_HEAD,
    moving.map((metric) => (withTrend ? [...statsRow(metric), sparkline(metric.trend)] : statsRow(metric))),
    // Narrow: the check and instance give way before the metric's name, then LAST and MIN go.
    { columns: options.columns, flexible: [0, 1, 2], droppable: [7, 3], style },
  );
  const statuses = fittedTable(STATUS_HEAD, report.statuses.map(statusRow), {
    columns: options.columns,
    flexible: [1, 0],
    style,
  });
  const paint = (status: Status) => (options.color ? styleText(STATUS_STYLE[status], status) : status);
  const incidents = fittedTable(
    INCIDENT_HEAD,
    report.incidents.map((incident) => {
      const row = incidentRow(incident, report.timeZone, true);
      row[2] = paint(incident.status);
      // An incident that ended the day it began: the end's time says it all.
      if (row[4]!.slice(0, 11) === row[3]!.slice(0, 11)) row[4] = row[4]!.slice(11);
      return row;
    }),
    // The worst value goes before the details are cut: the details name the breach too.
    { columns: options.columns, flexible: [1, 0, 7], droppable: [6], style },
  );
  return [
    reportHeading(report),
    '',
    stats,
    ...(constant > 0
      ? [
          fit(
            `${constant} constant series left out (cores, totals, idle interfaces); --all shows them`,
            options.columns,
          ).trimEnd(),
        ]
      : []),
    '',
    'Time in each status',
    statuses,
    '',
    report.incidents.length === 0 ? 'No incidents: every check stayed OK.' : `Incidents (${report.incidents.length})`,
    ...(report.incidents.length === 0 ? [] : [incidents]),
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
