const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 → "1.5 KiB"; binary units, as df -h and free -h print them. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? String(Math.round(value)) : value.toFixed(1)} ${BYTE_UNITS[unit] ?? 'B'}`;
}

export const formatRate = (bytesPerSecond: number): string => `${formatBytes(bytesPerSecond)}/s`;

export const formatPercent = (percent: number): string => `${percent.toFixed(1)}%`;

/** 1536 → "1.5K", 12_884_901_888 → "12G": at most 5 characters, for table columns (top's and htop's RES). */
export function formatBytesShort(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 999.5 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const suffix = unit === 0 ? '' : (BYTE_UNITS[unit] ?? '?').charAt(0);
  return `${value >= 9.95 || unit === 0 ? Math.round(value) : value.toFixed(1)}${suffix}`;
}

const twoDigits = (value: number): string => String(value).padStart(2, '0');

/** Local wall-clock time, "14:03" or "14:03:22": top's header and events, the report's incident times. */
export function formatClock(ms: number, seconds = false): string {
  const date = new Date(ms);
  const minute = `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}`;
  return seconds ? `${minute}:${twoDigits(date.getSeconds())}` : minute;
}
