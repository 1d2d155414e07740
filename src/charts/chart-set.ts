import type { ChartGrid, ChartSeries } from './chart-data.ts';

/** A unit as the checks declare them (checks/check.ts Unit); a string here so the browser needs no check code. */
export type ChartUnit = string;

/** One metric of one check instance: a reduced series to draw, or the one value it kept all along. */
export interface ChartEntry {
  check: string;
  instance: string;
  metric: string;
  unit?: ChartUnit;
  /** Threshold lines in force now (checks/chart-lines.ts). */
  warn?: number[];
  crit?: number[];
  series?: ChartSeries;
  constant?: number;
}

/** A span of time a check instance was not OK: drawn as a band behind its charts. */
export interface ChartIncident {
  check: string;
  instance: string;
  status: 'WARN' | 'CRIT' | 'UNKNOWN';
  start: number;
  end: number;
}

/** Everything a page needs to draw a set of charts: the report embeds one, the dashboard fetches one per range. */
export interface ChartSet {
  grid: ChartGrid;
  /** "UTC", an IANA name, or "local" (the browser's own). */
  timeZone: string;
  charts: ChartEntry[];
  incidents: ChartIncident[];
}
