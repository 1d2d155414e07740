import { KEY_BINDINGS } from '../keys.ts';
import type { ViewState } from '../view-state.ts';
import { fit } from '../../format/cells.ts';
import { paint, type Style } from '../widgets/style.ts';

/** The help screen, from the key table itself. */
export function helpLines(width: number, height: number, state: ViewState): string[] {
  const lines = [
    fit('argus top: keys', width),
    fit('', width),
    ...KEY_BINDINGS.map((binding) => fit(`  ${binding.label.padEnd(10)} ${binding.help}`, width)),
    fit('', width),
    fit(
      `  refresh every ${state.intervalSeconds} s; --interval sets it at start, --ascii draws without Unicode,`,
      width,
    ),
    fit('  NO_COLOR=1 without colour. Press h or Esc to return.', width),
  ];
  return lines.slice(0, height);
}

/** One line of the keys used most, "h Help  c CPU  m Mem …", the keys in inverse video as htop's F-key bar. */
export function footerLine(width: number, state: ViewState, style: Style): string {
  let line = '';
  let used = 0;
  for (const binding of KEY_BINDINGS) {
    if (binding.footer === undefined) continue;
    const key = binding.sequences[0] === '\x1b' ? 'Esc' : (binding.sequences[0] ?? '');
    const label = binding.action === 'slower' ? `${state.intervalSeconds}s` : binding.footer;
    const keyText = binding.action === 'slower' ? '+-' : key;
    const cells = keyText.length + 1 + label.length + (used > 0 ? 2 : 0);
    if (used + cells > width) break;
    line += `${used > 0 ? '  ' : ''}${paint(style, 'inverse', keyText)} ${label}`;
    used += cells;
  }
  return line;
}
