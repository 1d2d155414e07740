// Runs in the browser: the overview's small trend lines, drawn straight on a canvas (a uPlot per card would cost
// more than the card).
import type { ChartSeries } from '../charts/chart-data.ts';

/**
 * Draws the series' average as a line across the canvas from its first point to its last (an agent started ten
 * minutes ago fills the card, not its last sixth), gaps left open, with its threshold lines where they fit.
 */
export function drawSparkline(
  canvas: HTMLCanvasElement,
  series: ChartSeries,
  warn: readonly number[] | undefined,
  crit: readonly number[] | undefined,
): void {
  // As wide as the card lays it out (CSS), in device pixels for a sharp line.
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  const context = canvas.getContext('2d');
  if (!context) return;
  context.scale(ratio, ratio);
  const values = series.avg.map((value) => (value === null ? null : value * series.q));
  const present = values.filter((value): value is number => value !== null);
  if (present.length === 0) return;
  let low = Math.min(...present);
  let high = Math.max(...present);
  if (high === low) {
    low -= 1;
    high += 1;
  }
  const style = getComputedStyle(document.documentElement);
  const colour = (name: string): string => style.getPropertyValue(`--chart-${name}`).trim();
  const first = series.x[0] ?? 0;
  const span = Math.max(1, (series.x[series.x.length - 1] ?? first) - first);
  const x = (column: number): number => 1 + ((column - first) / span) * (width - 2);
  const y = (value: number): number => height - 2 - ((value - low) / (high - low)) * (height - 4);
  context.setLineDash([3, 3]);
  context.lineWidth = 1;
  for (const [lines, name] of [
    [warn, 'warn'],
    [crit, 'crit'],
  ] as const)
    for (const line of lines ?? [])
      if (line >= low && line <= high) {
        context.strokeStyle = colour(name);
        context.beginPath();
        context.moveTo(0, y(line));
        context.lineTo(width, y(line));
        context.stroke();
      }
  context.setLineDash([]);
  context.strokeStyle = colour('avg');
  context.lineWidth = 1.5;
  context.beginPath();
  let drawing = false;
  values.forEach((value, index) => {
    if (value === null) {
      drawing = false;
      return;
    }
    const column = series.x[index]!;
    if (drawing) context.lineTo(x(column), y(value));
    else context.moveTo(x(column), y(value));
    drawing = true;
  });
  context.stroke();
  // A point with no neighbour draws no line: a dot, or an agent's first minute (and a reading between two gaps)
  // would leave the card empty.
  context.fillStyle = colour('avg');
  values.forEach((value, index) => {
    if (value === null || (values[index - 1] ?? null) !== null || (values[index + 1] ?? null) !== null) return;
    context.beginPath();
    context.arc(x(series.x[index]!), y(value), 1.5, 0, 2 * Math.PI);
    context.fill();
  });
  canvas.dataset.points = String(present.length);
}
