import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Report } from './build-report.ts';
import { formatDuration, timeZoneName } from './format.ts';
import { incidentRow, reportHeading } from './render-text.ts';

declare const ARGUS_BUNDLED: boolean | undefined;

/** uPlot (MIT, ~50 KB) is inlined, so the file opens anywhere, offline, and can be mailed as it is. */
function chartLibrary(): { script: string; style: string } {
  const require = createRequire(typeof ARGUS_BUNDLED === 'boolean' ? __filename : import.meta.url);
  return {
    script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    style: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

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

// Runs in the browser: one chart per metric, average line with the min and max of each point's slice around it.
const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('argus-data').textContent);
  var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  function bytes(v) { var u = 0; while (Math.abs(v) >= 1024 && u < units.length - 1) { v /= 1024; u++; } return (u ? v.toFixed(1) : Math.round(v)) + ' ' + units[u]; }
  function format(metric, v) {
    if (v == null) return '';
    if (/_bytes_per_second$/.test(metric)) return bytes(v) + '/s';
    if (/_bytes$/.test(metric)) return bytes(v);
    if (/_percent$/.test(metric)) return v.toFixed(1) + '%';
    return Math.abs(v) >= 100 ? v.toFixed(0) : +v.toFixed(2) + '';
  }
  var drawn = 0;
  data.series.forEach(function (s, i) {
    var holder = document.getElementById('chart-' + i);
    var times = s.time.map(function (t) { return t / 1000; });
    var fmt = function (u, v) { return format(s.metric, v); };
    // A sparse series (a few cycles in a long window) would be invisible as a line between gaps: draw its points.
    var sparse = s.avg.filter(function (v) { return v != null; }).length < 100;
    var points = sparse ? { show: true, size: 5 } : {};
    new uPlot({
      width: Math.min(900, document.body.clientWidth - 40), height: 180,
      title: s.metric,
      scales: { x: { time: true } },
      axes: [{}, { values: function (u, vals) { return vals.map(function (v) { return format(s.metric, v); }); }, size: 80 }],
      series: [
        {},
        { label: 'min', stroke: '#9ecae1', width: 1, value: fmt, points: points },
        { label: 'avg', stroke: '#08519c', width: 2, value: fmt, points: points },
        { label: 'max', stroke: '#fc9272', width: 1, value: fmt, points: points }
      ]
    }, [times, s.min, s.avg, s.max], holder);
    drawn++;
  });
  document.body.setAttribute('data-charts', String(drawn));
})();
`;

const PAGE_STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 20px; color: #222; }
h1 { font-size: 18px; } h2 { font-size: 16px; margin-top: 28px; } h3 { font-size: 14px; margin: 18px 0 4px; }
table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
th { background: #f4f4f4; } td.CRIT { color: #b00; font-weight: bold; } td.WARN { color: #a60; }
.chart { margin: 6px 0 14px; }
`;

/** One self-contained page: summary tables, the incident list and a time-series chart per metric. */
export function renderReportHtml(report: Report): string {
  const { script, style } = chartLibrary();
  const statusRows = report.statuses.map((entry) => [
    entry.check,
    entry.instance,
    ...(['OK', 'WARN', 'CRIT', 'UNKNOWN'] as const).map((status) => formatDuration(entry.seconds[status])),
    String(entry.incidents),
  ]);
  const incidentRows = report.incidents.map((incident) => incidentRow(incident));
  const sections: string[] = [];
  let group = '';
  report.metrics.forEach((metric, index) => {
    const name = metric.instance ? `${metric.check} ${metric.instance}` : metric.check;
    if (name !== group) {
      sections.push(`<h3>${escapeHtml(name)}</h3>`);
      group = name;
    }
    sections.push(`<div class="chart" id="chart-${index}"></div>`);
  });
  const data = {
    series: report.metrics.map((metric) => ({ metric: metric.metric, ...metric.chart })),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(reportHeading(report))}</title>
<style>${style}${PAGE_STYLE}</style>
</head>
<body>
<h1>${escapeHtml(reportHeading(report))}</h1>
<p>Times are ${escapeHtml(timeZoneName())}. Each chart shows, per point, the average (dark), minimum and maximum over that part of the window.</p>
<h2>Incidents (${report.incidents.length})</h2>
${report.incidents.length === 0 ? '<p>No incidents: every check stayed OK.</p>' : table(['Check', 'Instance', 'Worst', 'Start', 'End', 'Duration', 'Worst value', 'Details'], incidentRows)}
<h2>Time in each status</h2>
${table(['Check', 'Instance', 'OK', 'WARN', 'CRIT', 'UNKNOWN', 'Incidents'], statusRows)}
<h2>Metrics</h2>
${sections.join('\n')}
<script id="argus-data" type="application/json">${scriptJson(data)}</script>
<script>${script}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
