/** One family of a Prometheus text exposition, as parsed for comparisons: its type, help and series. */
export interface ParsedFamily {
  type?: string;
  help?: string;
  /** `{a="1",b="2"}` (labels sorted) → value; "" for a series without labels. */
  series: Map<string, number>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Go's and our float spellings alike ("1.418183276e+09", "NaN", "+Inf") as numbers. */
function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/**
 * Parses the text format into families keyed by name. A series is filed under the family its `# TYPE` line
 * opened, so histograms and summaries (`_bucket`, `_sum`) stay with their family.
 */
export function parseExposition(text: string): Map<string, ParsedFamily> {
  const families = new Map<string, ParsedFamily>();
  const familyOf = (name: string): ParsedFamily => {
    let family = families.get(name);
    if (!family) families.set(name, (family = { series: new Map() }));
    return family;
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const family = familyOf(meta[2] ?? '');
      if (meta[1] === 'TYPE') family.type = meta[3] ?? '';
      else family.help = meta[3] ?? '';
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const labels = [...(sample[3] ?? '').matchAll(LABEL)].map((match) => `${match[1]}="${match[2]}"`).sort();
    const key = labels.length === 0 ? '' : `{${labels.join(',')}}`;
    familyOf(sample[1] ?? '').series.set(key, parseValue(sample[4] ?? ''));
  }
  return families;
}
