import { formatBytes, formatClock, formatRate } from '../format/units.ts';

export { sparkline } from '../format/sparkline.ts';

/** By the metric's unit suffix, as the checks name them: `_bytes`, `_bytes_per_second`, `_percent`. */
export function formatMetricValue(metric: string, value: number): string {
  if (metric.endsWith('_bytes_per_second')) return formatRate(value);
  if (metric.endsWith('_bytes')) return formatBytes(value);
  if (metric.endsWith('_percent')) return `${value.toFixed(1)}%`;
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
}

/** 3725 → "1h 2m"; two units at most, which is what a reader takes in at a glance. */
export function formatDuration(seconds: number): string {
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  let rest = Math.round(seconds);
  if (rest === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of units) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return parts.join(' ');
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** Local time, to the minute or the second (incidents: what an admin matches against their own logs). */
export function formatTime(ms: number, seconds = false): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${formatClock(ms, seconds)}`;
}

export const timeZoneName = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
