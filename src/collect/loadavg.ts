import { fieldCursor, nextLine, nextNumber } from './field-cursor.ts';
import { procPath, type Host } from './host.ts';

export interface LoadAverage {
  load1: number;
  load5: number;
  load15: number;
}

export function parseLoadavg(text: string): LoadAverage {
  const line = fieldCursor(text);
  nextLine(line);
  const load1 = nextNumber(line);
  const load5 = nextNumber(line);
  const load15 = nextNumber(line);
  if (Number.isNaN(load1) || Number.isNaN(load5) || Number.isNaN(load15))
    throw new SyntaxError(`Cannot parse /proc/loadavg: "${text.trim()}"`);
  return { load1, load5, load15 };
}

export const readLoadavg = (host: Host): LoadAverage => parseLoadavg(host.readText(procPath(host, 'loadavg')));
