/** One perfdata item: `'label'=value[UOM];[warn];[crit];[min];[max]` (Monitoring Plugins guidelines). */
export interface Perfdata {
  label: string;
  /** In base units: seconds for s/ms/us, bytes for B/KB/MB/GB/TB; undefined for "U" (could not be determined). */
  value: number | undefined;
  unit: 'seconds' | 'bytes' | 'percent' | 'counter' | 'none';
  warn?: string;
  crit?: string;
  min?: number;
  max?: number;
}

export interface PluginOutput {
  /** The first line without its perfdata: what Nagios shows. */
  text: string;
  longText: string[];
  perfdata: Perfdata[];
}

const SCALE: Record<string, { unit: Perfdata['unit']; factor: number }> = {
  '': { unit: 'none', factor: 1 },
  s: { unit: 'seconds', factor: 1 },
  ms: { unit: 'seconds', factor: 1e-3 },
  us: { unit: 'seconds', factor: 1e-6 },
  '%': { unit: 'percent', factor: 1 },
  b: { unit: 'bytes', factor: 1 },
  kb: { unit: 'bytes', factor: 1024 },
  mb: { unit: 'bytes', factor: 1024 ** 2 },
  gb: { unit: 'bytes', factor: 1024 ** 3 },
  tb: { unit: 'bytes', factor: 1024 ** 4 },
  c: { unit: 'counter', factor: 1 },
};

// A label is quoted (may hold spaces; '' is a literal quote) or a run without spaces, quotes or '='.
const ITEM = /('(?:[^']|'')+'|[^\s'=]+)=(\S+)/g;

const optionalNumber = (text: string | undefined): number | undefined => {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number.parseFloat(text);
  return Number.isFinite(value) ? value : undefined;
};

export function parsePerfdata(text: string): Perfdata[] {
  const items: Perfdata[] = [];
  for (const match of text.matchAll(ITEM)) {
    const rawLabel = match[1] ?? '';
    const label = rawLabel.startsWith("'") ? rawLabel.slice(1, -1).replace(/''/g, "'") : rawLabel;
    const [valuePart = '', warn, crit, min, max] = (match[2] ?? '').split(';');
    const parsed = /^(-?[0-9.]+(?:[eE][-+]?\d+)?|U)([a-zA-Z%]*)$/.exec(valuePart);
    if (!parsed) continue; // malformed items are skipped, as Nagios' own perfdata processors do
    const scale = SCALE[(parsed[2] ?? '').toLowerCase()] ?? SCALE['']!;
    const value = parsed[1] === 'U' ? undefined : Number(parsed[1]) * scale.factor;
    const item: Perfdata = { label, value, unit: scale.unit };
    if (warn) item.warn = warn;
    if (crit) item.crit = crit;
    const minimum = optionalNumber(min);
    const maximum = optionalNumber(max);
    if (minimum !== undefined) item.min = minimum * scale.factor;
    if (maximum !== undefined) item.max = maximum * scale.factor;
    items.push(item);
  }
  return items;
}

/**
 * Splits plugin output: the first line's text, the long output, and the perfdata after `|` on the first line and
 * after the `|` of the long output (Nagios 3+ joins both).
 */
export function parsePluginOutput(stdout: string): PluginOutput {
  const [first = '', ...rest] = stdout.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  const bar = first.indexOf('|');
  const text = (bar < 0 ? first : first.slice(0, bar)).trim();
  let perfText = bar < 0 ? '' : first.slice(bar + 1);
  const longText: string[] = [];
  let inPerf = false;
  for (const line of rest) {
    if (inPerf) {
      perfText += ` ${line}`;
      continue;
    }
    const lineBar = line.indexOf('|');
    if (lineBar >= 0) {
      if (line.slice(0, lineBar).trim()) longText.push(line.slice(0, lineBar).trimEnd());
      perfText += ` ${line.slice(lineBar + 1)}`;
      inPerf = true;
    } else longText.push(line);
  }
  return { text, longText, perfdata: parsePerfdata(perfText) };
}
