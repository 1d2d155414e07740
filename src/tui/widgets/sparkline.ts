const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const ASCII = ['_', '.', '-', '~', '=', '+', '*', '#'];

/**
 * The last `width` values as one line of eighth-height blocks, scaled to `max` (100 for percentages) or to the
 * largest value shown when max is omitted (rates). Missing samples are blank, so a gap reads as a gap.
 */
export function sparkline(
  values: readonly (number | undefined)[],
  width: number,
  unicode: boolean,
  max?: number,
): string {
  if (width <= 0) return '';
  const shown = values.slice(-width);
  const top = max ?? Math.max(0, ...shown.map((value) => value ?? 0));
  const glyphs = unicode ? BLOCKS : ASCII;
  let out = ' '.repeat(width - shown.length);
  for (const value of shown) {
    if (value === undefined) out += ' ';
    else if (top <= 0) out += glyphs[0];
    else out += glyphs[Math.min(7, Math.max(0, Math.round((value / top) * 7)))];
  }
  return out;
}

/** A fixed number of recent samples: the sparkline history of one series. */
export class Ring {
  private readonly values: (number | undefined)[] = [];
  private readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
  }
  push(value: number | undefined): void {
    this.values.push(value);
    if (this.values.length > this.capacity) this.values.shift();
  }
  get all(): readonly (number | undefined)[] {
    return this.values;
  }
  get last(): number | undefined {
    return this.values.at(-1);
  }
}
