import { formatBytes, formatRate } from '../format/units.ts';
import type { ChartUnit } from './chart-set.ts';

const compact = (value: number): string =>
  Math.abs(value) >= 100 || Number.isInteger(value) ? value.toFixed(0) : String(Number(value.toPrecision(3)));

/** A value with its unit, as an axis, a legend and a table show it: "12.5 %", "1.2 GiB", "3.4 MiB/s", "61 °C". */
export function formatValue(unit: ChartUnit | undefined, value: number): string {
  switch (unit) {
    case 'percent':
      return `${value.toFixed(Math.abs(value) >= 10 ? 0 : 1)} %`;
    case 'bytes':
      return formatBytes(value);
    case 'bytes_per_second':
      return formatRate(value);
    case 'per_second':
      return `${compact(value)}/s`;
    case 'seconds':
      return `${compact(value)} s`;
    case 'celsius':
      return `${compact(value)} °C`;
    case 'watts':
      return `${compact(value)} W`;
    default:
      return compact(value);
  }
}
