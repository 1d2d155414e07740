import { bar, type Segment } from '../widgets/bar.ts';
import { fit } from '../../format/cells.ts';
import type { Style } from '../widgets/style.ts';

/**
 * One labelled bar line, "CPU ████▍····· 43.1%": the label and the value keep their width and the bar takes the
 * rest, so every meter of a panel lines up whatever the terminal's width.
 */
export function meter(
  label: string,
  labelWidth: number,
  segments: readonly Segment[],
  value: string,
  valueWidth: number,
  width: number,
  style: Style,
): string {
  const barWidth = width - labelWidth - valueWidth - 2;
  if (barWidth < 4) return fit(`${label} ${value.trim()}`, width);
  return `${fit(label, labelWidth)} ${bar(segments, barWidth, style)} ${fit(value, valueWidth, 'right')}`;
}

/** Green, then yellow from 70 %, red from 90 %: the colour of a single-value bar without a check's verdict. */
export const loadColour = (percent: number) => (percent >= 90 ? 'red' : percent >= 70 ? 'yellow' : 'green');
