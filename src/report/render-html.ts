import { createHash } from 'node:crypto';
import type { ChartEntry, ChartSet } from '../charts/chart-set.ts';
import { formatValue } from '../charts/format-value.ts';
import { escapeHtml } from '../format/html.ts';
import { webAsset } from '../platform/web-assets.ts';
import type { Report } from './build-report.ts';
import { formatDuration, timeZoneName } from './format.ts';
import { incidentRow, reportHeading } from './render-text.ts';

/** The unit and threshold lines of a stored metric (the CLI resolves them from the config: checks/chart-lines.ts). */
export type DescribeMetric = (
  check: string,
  instance: string,
  metric: string,
) => Pick<ChartEntry, 'unit' | 'warn' | 'crit'>;

/** JSON inside <script>: `<` escaped so no string in the data (a mount point, a details line) can close the tag. */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const table = (head: string[], rows: string[][]): string =>
  `<table><thead><tr>${head.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

/** A CSP source that allows exactly this inline script or style and nothing else. */
const hashSource = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const PAGE_STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; padding: 16px; max-width: 940px; }
h1 { font-size: 19px; } h2 { font-size: 16px; margin-top: 28px; } h3 { font-size: 14px; margin: 22px 0 2px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--rule); padding: 3px 8px; text-align: left; }
th { background: var(--head); }
td { white-space: nowrap; } td:last-child { white-space: normal; min-width: 24ch; }
.note, .constant { color: var(--muted); font-size: 13px; margin: 2px 0; }
.chart { margin: 4px 0 12px; } .chart-title { font-size: 13px; font-weight: 600; margin: 6px 0 0; }
`;

/**
 * One self-contained page: the incidents, the time in each status and a chart per metric, drawn by the same chart
 * module as the dashboard (src/web/chart.ts) from the report's reduced series. It opens offline and can be mailed:
 * nothing is fetched, and its Content-Security-Policy allows its own script and style by hash and nothing else.
 */
export function renderReportHtml(report: Report, describe: DescribeMetric = () => ({})): string {
  const zone = timeZoneName(report.timeZone);
  const statusRows = report.statuses.map((entry) => [
    entry.check,
    entry.instance,
    ...(['OK', 'WARN', 'CRIT', 'UNKNOWN'] as const).map((status) => formatDuration(entry.seconds[status])),
    String(entry.incidents),
  ]);
  const incidentRows = report.incidents.map((incident) => incidentRow(incident, report.timeZone));
  const charts: ChartEntry[] = [];
  const sections: string[] = [];
  let group = '';
  for (const metric of report.metrics) {
    const name = metric.instance ? `${metric.check} ${metric.instance}` : metric.check;
    if (name !== group) {
      sections.push(`<h3>${escapeHtml(name)}</h3>`);
      group = name;
    }
    const entry: ChartEntry = {
      check: metric.check,
      instance: metric.instance,
      metric: metric.metric,
      ...describe(metric.check, metric.instance, metric.metric),
    };
    if (metric.chart && 'constant' in metric.chart)
      sections.push(
        `<p class="constant">${escapeHtml(metric.metric)}: ${escapeHtml(formatValue(entry.unit, metric.chart.constant))} all along</p>`,
      );
    else if (metric.chart) {
      sections.push(
        `<div class="chart" data-chart="${charts.length}"><div class="chart-title">${escapeHtml(metric.metric)}</div></div>`,
      );
      charts.push({ ...entry, series: metric.chart });
    }
  }
  const set: ChartSet = {
    grid: report.grid,
    // "local" is this machine's zone, named: the file may be opened on a laptop elsewhere.
    timeZone: zone,
    charts,
    incidents: report.incidents.map(({ check, instance, status, start, end }) => ({
      check,
      instance,
      status,
      start,
      end,
    })),
  };
  const script = webAsset('report.js');
  const style = `${webAsset('charts.css')}${PAGE_STYLE}`;
  const csp = `default-src 'none'; script-src ${hashSource(script)}; style-src ${hashSource(style)}; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(reportHeading(report))}</title>
<style>${style}</style>
</head>
<body>
<h1>${escapeHtml(reportHeading(report))}</h1>
<p class="note">Every time on this page is ${escapeHtml(zone)}.</p>
<h2>Incidents (${report.incidents.length})</h2>
${report.incidents.length === 0 ? '<p>No incidents: every check stayed OK.</p>' : table(['Check', 'Instance', 'Worst', 'Start', 'End', 'Duration', 'Worst value', 'Details'], incidentRows)}
<h2>Time in each status</h2>
${table(['Check', 'Instance', 'OK', 'WARN', 'CRIT', 'UNKNOWN', 'Incidents'], statusRows)}
<h2>Metrics</h2>
<p class="note">The line is the average at each point; the shaded band, where a point stands for several samples, runs from their minimum to their maximum; a break in the line is data missing for more than twice the spacing of the samples around it. Dashed lines are the warn (orange) and crit (red) thresholds as configured now; tinted areas are incidents. Drag across a chart to zoom, double-click to reset.</p>
${sections.join('\n')}
<script id="argus-data" type="application/json">${scriptJson(set)}</script>
<script>${script}</script>
</body>
</html>
`;
}
