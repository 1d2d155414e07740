// Runs in the browser: draws one ChartEntry with uPlot. The report page and the dashboard both call it, so a chart
// looks and reads the same in both.
import uPlot from 'uplot';
import type { ChartGrid } from '../charts/chart-data.ts';
import type { ChartEntry, ChartIncident } from '../charts/chart-set.ts';
import { formatValue } from '../charts/format-value.ts';

export interface ChartOptions {
  grid: ChartGrid;
  timeZone: string;
  incidents: readonly ChartIncident[];
  width: number;
  height: number;
  /** Called with the new [from, to] in ms when the user drags across the chart to zoom. */
  onZoom?: (from: number, to: number) => void;
}

const prefersDark = window.matchMedia('(prefers-color-scheme: dark)');
let choice = 'auto';
prefersDark.addEventListener('change', () => followColorScheme(choice));

/**
 * Sets the page's theme: "light", "dark", or "auto" (the system's, followed as it changes). charts.css holds each
 * palette once, under data-theme; the charts read their colours from it when they draw.
 */
export function followColorScheme(theme: string): void {
  choice = theme;
  document.documentElement.dataset.theme = theme === 'auto' ? (prefersDark.matches ? 'dark' : 'light') : theme;
}

/** Colours read from CSS custom properties, so the light and dark themes restyle the charts too. */
function palette(): Record<'avg' | 'range' | 'warn' | 'crit' | 'band-warn' | 'band-crit' | 'axis' | 'grid', string> {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string): string => style.getPropertyValue(`--chart-${name}`).trim() || fallback;
  return {
    avg: read('avg', '#1f5fbf'),
    range: read('range', 'rgba(31, 95, 191, 0.18)'),
    warn: read('warn', '#d08700'),
    crit: read('crit', '#c62828'),
    'band-warn': read('band-warn', 'rgba(208, 135, 0, 0.12)'),
    'band-crit': read('band-crit', 'rgba(198, 40, 40, 0.12)'),
    axis: read('axis', '#444'),
    grid: read('grid', 'rgba(0, 0, 0, 0.08)'),
  };
}

/**
 * Tick labels by tick spacing, 24-hour and ISO-ordered (uPlot's defaults are US-style, "7pm 12/4/26"): the first
 * format of a row for every tick, the later ones add the date where the year, month or day changes.
 */
const TIME_TICKS: uPlot.Axis.Values = [
  [86_400 * 365, '{YYYY}', null, null, null, null, null, null, 1],
  [86_400 * 28, '{YYYY}-{MM}', null, null, null, null, null, null, 1],
  [86_400, '{MM}-{DD}', '\n{YYYY}', null, null, null, null, null, 1],
  [3600, '{HH}:{mm}', '\n{YYYY}-{MM}-{DD}', null, '\n{MM}-{DD}', null, null, null, 1],
  [60, '{HH}:{mm}', '\n{YYYY}-{MM}-{DD}', null, '\n{MM}-{DD}', null, null, null, 1],
  [1, '{HH}:{mm}:{ss}', '\n{YYYY}-{MM}-{DD}', null, '\n{MM}-{DD}', null, null, null, 1],
];

/** Where a single point stands between gaps: no line reaches it, so it is drawn as a dot. */
function isolatedPoints(values: readonly (number | null)[]): number[] | null {
  const found: number[] = [];
  values.forEach((value, index) => {
    if (value !== null && (values[index - 1] ?? null) === null && (values[index + 1] ?? null) === null)
      found.push(index);
  });
  return found.length > 0 ? found : null;
}

/** The series' values back from integers times their quantum. */
const unscale = (values: readonly (number | null)[] | undefined, q: number): (number | null)[] | undefined =>
  values?.map((value) => (value === null ? null : value * q));

/** Draws `entry` into `holder`; its `data-points` attribute says how many values were drawn (tests read it). */
export function drawChart(holder: HTMLElement, entry: ChartEntry, options: ChartOptions): uPlot | undefined {
  const series = entry.series;
  if (!series) return undefined;
  const colours = palette();
  const { grid } = options;
  const width = (grid.to - grid.from) / grid.columns;
  const times = series.x.map((column) => (grid.from + (column + 0.5) * width) / 1000);
  const avg = unscale(series.avg, series.q)!;
  const lo = unscale(series.lo, series.q);
  const hi = unscale(series.hi, series.q);
  const format = (value: number | null | undefined): string =>
    value === null || value === undefined ? '–' : formatValue(entry.unit, value);
  const lines = [...(entry.warn ?? []), ...(entry.crit ?? [])];
  const incidents = options.incidents.filter(
    (incident) => incident.check === entry.check && incident.instance === entry.instance,
  );
  const isolated = isolatedPoints(avg);
  const data: uPlot.AlignedData = lo && hi ? [times, avg, lo, hi] : [times, avg];
  const config: uPlot.Options = {
    width: options.width,
    height: options.height,
    ...(options.timeZone === 'local'
      ? {}
      : { tzDate: (seconds: number) => uPlot.tzDate(new Date(seconds * 1000), options.timeZone) }),
    scales: {
      // The dashboard shows the window asked for, data or not, and zooms by asking for a new one; the report, a
      // file with all its data, zooms in place (double-click to reset).
      x: options.onZoom ? { time: true, range: () => [grid.from / 1000, grid.to / 1000] } : { time: true },
      y: {
        // Threshold lines stay on the chart: how close the data came to them is the point of drawing them.
        range: (_u, min, max) => {
          const low = Math.min(min, ...lines, entry.unit === 'percent' ? 0 : min);
          const high = Math.max(max, ...lines);
          return uPlot.rangeNum(low, high === low ? low + 1 : high, 0.1, true);
        },
      },
    },
    axes: [
      { stroke: colours.axis, grid: { stroke: colours.grid }, values: TIME_TICKS },
      {
        stroke: colours.axis,
        grid: { stroke: colours.grid },
        // The unit is in every tick ("75 %", "1.5 GiB"); the width follows the longest.
        size: (_u, values) => 16 + 7 * Math.max(3, ...(values ?? []).map((text) => text.length)),
        values: (_u, splits) => splits.map((value) => format(value)),
      },
    ],
    series: [
      {},
      {
        label: lo ? 'avg' : entry.metric,
        stroke: colours.avg,
        width: 2,
        value: (_u, value) => format(value),
        points: { size: 5, filter: () => isolated },
      },
      ...(lo && hi
        ? [
            { label: 'min', stroke: colours.range, width: 1, value: (_u: uPlot, value: number) => format(value) },
            { label: 'max', stroke: colours.range, width: 1, value: (_u: uPlot, value: number) => format(value) },
          ]
        : []),
    ],
    ...(lo && hi ? { bands: [{ series: [3, 2] as [number, number], fill: colours.range }] } : {}),
    cursor: { drag: { x: true, y: false, setScale: !options.onZoom } },
    hooks: {
      // Incidents behind the data: drawn after the axes and grid, before the series.
      drawAxes: [
        (u) => {
          const { ctx } = u;
          const { top, height } = u.bbox;
          for (const incident of incidents) {
            const left = u.valToPos(incident.start / 1000, 'x', true);
            const right = u.valToPos(incident.end / 1000, 'x', true);
            ctx.fillStyle = incident.status === 'CRIT' ? colours['band-crit'] : colours['band-warn'];
            ctx.fillRect(left, top, Math.max(2, right - left), height);
          }
        },
      ],
      draw: [
        (u) => {
          const { ctx } = u;
          const { left, width: plotWidth } = u.bbox;
          ctx.save();
          ctx.setLineDash([6, 4]);
          ctx.lineWidth = 1.5 * devicePixelRatio;
          const drawLines = (values: readonly number[] | undefined, colour: string): void => {
            for (const value of values ?? []) {
              const y = Math.round(u.valToPos(value, 'y', true));
              ctx.strokeStyle = colour;
              ctx.beginPath();
              ctx.moveTo(left, y);
              ctx.lineTo(left + plotWidth, y);
              ctx.stroke();
            }
          };
          drawLines(entry.warn, colours.warn);
          drawLines(entry.crit, colours.crit);
          ctx.restore();
        },
      ],
      setSelect: [
        (u) => {
          if (u.select.width < 4 || !options.onZoom) return;
          const from = u.posToVal(u.select.left, 'x') * 1000;
          const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          options.onZoom(Math.round(from), Math.round(to));
        },
      ],
    },
  };
  const plot = new uPlot(config, data, holder);
  holder.dataset.points = String(avg.filter((value) => value !== null).length);
  return plot;
}
