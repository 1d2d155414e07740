import { procPath, type Host } from './host.ts';

export interface LoadAverage {
  load1: number;
  load5: number;
  load15: number;
}

export function parseLoadavg(text: string): LoadAverage {
  const [load1, load5, load15] = text.trim().split(/\s+/).slice(0, 3).map(Number);
  if (load1 === undefined || load5 === undefined || load15 === undefined || [load1, load5, load15].some(Number.isNaN)) {
    throw new SyntaxError(`Cannot parse /proc/loadavg: "${text.trim()}"`);
  }
  return { load1, load5, load15 };
}

export const readLoadavg = (host: Host): LoadAverage => parseLoadavg(host.readText(procPath(host, 'loadavg')));
