import { formatBytes, formatRate } from '../format/units.ts';

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

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "UTC", an IANA zone ("Europe/Berlin") or "local" (the zone of this process): what `--tz` accepts. */
export function checkTimeZone(zone: string): string {
  // Loading ICU's zone data costs ~12 ms of a report's start: the two zones Date knows by itself skip it.
  if (zone === 'local' || zone === 'UTC') return zone;
  new Intl.DateTimeFormat('en-US', { timeZone: zone }); // throws a RangeError for a zone the runtime does not know
  return zone;
}

/** The zone's name as a heading states it once: "UTC", "Europe/Berlin", the local zone's own name. */
export const timeZoneName = (zone: string): string =>
  zone === 'local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : zone;

/**
 * "2026-11-26 22:05" (or with seconds) in the report's zone: incidents are what an admin matches against their own
 * logs, so every time of a report is in the one zone its heading names.
 */
export function formatTime(ms: number, timeZone: string, seconds = false): string {
  if (timeZone === 'UTC' || timeZone === 'local') {
    const date = new Date(ms);
    const utc = timeZone === 'UTC';
    const parts = utc
      ? [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes()]
      : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes()];
    const [year, month, day, hour, minute] = parts.map((part) => String(part).padStart(2, '0'));
    const second = String(utc ? date.getUTCSeconds() : date.getSeconds()).padStart(2, '0');
    return `${year}-${month}-${day} ${hour}:${minute}${seconds ? `:${second}` : ''}`;
  }
  const key = `${timeZone}\0${seconds}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      ...(timeZone === 'local' ? {} : { timeZone }),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
    });
    formatters.set(key, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(ms).map((part) => [part.type, part.value]));
  const time = `${parts.hour}:${parts.minute}${seconds ? `:${parts.second}` : ''}`;
  return `${parts.year}-${parts.month}-${parts.day} ${time}`;
}
