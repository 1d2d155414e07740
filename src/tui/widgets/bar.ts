import { paint, type Colour, type Style } from './style.ts';

export interface Segment {
  /** Percent of the whole bar, 0-100. */
  percent: number;
  colour: Colour;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * A horizontal bar of stacked segments (user, system, iowait, steal) in `width` cells, without brackets. Unicode
 * draws eighths of a cell, so 1 % shows on a 20-cell bar; ASCII draws "|" as htop does.
 */
export function bar(segments: readonly Segment[], width: number, style: Style): string {
  if (width <= 0) return '';
  const shown = segments.filter((segment) => segment.percent > 0);
  let out = '';
  let usedCells = 0;
  let cumulative = 0;
  for (const [index, segment] of shown.entries()) {
    cumulative = Math.min(100, cumulative + segment.percent);
    const exact = (cumulative / 100) * width;
    const last = index === shown.length - 1;
    if (style.unicode && last) {
      // Only the end of the whole bar gets a partial cell: partial cells between segments would leave gaps.
      const eighths = Math.round((exact - usedCells) * 8);
      const whole = Math.max(0, Math.floor(eighths / 8));
      const piece = '█'.repeat(whole) + (EIGHTHS[eighths % 8] ?? '');
      out += paint(style, segment.colour, piece);
      usedCells += whole + (eighths % 8 > 0 ? 1 : 0);
    } else {
      const cells = Math.max(0, Math.round(exact) - usedCells);
      out += paint(style, segment.colour, (style.unicode ? '█' : '|').repeat(cells));
      usedCells += cells;
    }
  }
  const rest = Math.max(0, width - usedCells);
  return out + (style.unicode ? paint(style, 'grey', '·'.repeat(rest)) : ' '.repeat(rest));
}
