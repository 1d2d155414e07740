const BARS = '▁▂▃▄▅▆▇█';
const ASCII_BARS = '_.-~=+*#';

export interface SparklineScale {
  /** The value drawn as the lowest bar; default the lowest point (the report's trend, scaled to its own range). */
  min?: number;
  /** The value drawn as the highest bar; default the highest point. A percentage passes 100. */
  max?: number;
  /** Eight ASCII steps for terminals that are not UTF-8. */
  ascii?: boolean;
}

/**
 * One character per point, eighth-height bars; a gap (null or undefined: no sample) is a space and a flat line
 * the lowest bar. `argus report` scales a trend to its own range; `argus top` draws from 0 to 100 % or to the
 * largest rate shown.
 */
export function sparkline(points: readonly (number | null | undefined)[], scale: SparklineScale = {}): string {
  const bars = scale.ascii ? ASCII_BARS : BARS;
  const present = points.filter((point): point is number => typeof point === 'number');
  if (present.length === 0) return ' '.repeat(points.length);
  const low = scale.min ?? Math.min(...present);
  const span = (scale.max ?? Math.max(...present)) - low;
  return points
    .map((point) => {
      if (typeof point !== 'number') return ' ';
      if (span <= 0) return bars[0];
      const step = Math.floor(((point - low) / span) * bars.length);
      return bars[Math.max(0, Math.min(bars.length - 1, step))];
    })
    .join('');
}
