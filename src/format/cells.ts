/**
 * Terminal cells, not string length: a CJK character or an emoji takes two cells, a combining accent none, and a
 * line that is one cell too wide wraps and breaks the whole screen. Widths follow the East Asian Wide and
 * Fullwidth ranges of Unicode 15 that terminals (xterm, tmux, VTE) draw as two cells.
 */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x2614, 0x2615],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

export function codePointWidth(code: number): number {
  if (code < 0x300) return code < 0x20 || (code >= 0x7f && code < 0xa0) ? 0 : 1;
  if ((code >= 0x300 && code <= 0x36f) || (code >= 0x200b && code <= 0x200f) || code === 0xfe0f) return 0;
  for (const [low, high] of WIDE) if (code >= low && code <= high) return 2;
  return 1;
}

// eslint-disable-next-line no-control-regex -- SGR codes start with ESC
const ANSI = /\x1b\[[0-9;]*m/g;

/** Cells a string takes on screen; SGR colour codes take none. */
export function cellWidth(text: string): number {
  let width = 0;
  for (const char of text.includes('\x1b') ? text.replace(ANSI, '') : text)
    width += codePointWidth(char.codePointAt(0) ?? 0);
  return width;
}

/**
 * Text from outside (command lines, mount points, interface names) made safe to draw: control characters would
 * move the cursor or change colours, so each becomes "?" as ps(1) shows them.
 */
// eslint-disable-next-line no-control-regex -- control characters are what is replaced
export const printable = (text: string): string => text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');

/** Cut to at most `width` cells, ending in "…" (or "~" in ASCII) when something was cut. Plain text only. */
export function truncate(text: string, width: number, ellipsis = '…'): string {
  if (width <= 0) return '';
  if (cellWidth(text) <= width) return text;
  return takeStart([...text], width - cellWidth(ellipsis)) + ellipsis;
}

/** Cut in the middle, where a path's least telling part is: "/srv/backup/…/2026-12-05". Plain text only. */
export function truncateMiddle(text: string, width: number, ellipsis = '…'): string {
  if (cellWidth(text) <= width) return text;
  if (width <= 2) return truncate(text, width, ellipsis);
  const chars = [...text];
  const keepEnd = Math.floor((width - 1) / 2);
  const keepStart = width - 1 - keepEnd;
  return takeStart(chars, keepStart) + ellipsis + takeEnd(chars, keepEnd);
}

function takeStart(chars: string[], width: number): string {
  let out = '';
  let used = 0;
  for (const char of chars) {
    const cells = codePointWidth(char.codePointAt(0) ?? 0);
    if (used + cells > width) break;
    out += char;
    used += cells;
  }
  return out;
}

function takeEnd(chars: string[], width: number): string {
  let out = '';
  let used = 0;
  for (let index = chars.length - 1; index >= 0; index -= 1) {
    const char = chars[index] ?? '';
    const cells = codePointWidth(char.codePointAt(0) ?? 0);
    if (used + cells > width) break;
    out = char + out;
    used += cells;
  }
  return out;
}

/** Plain text made exactly `width` cells: cut with an ellipsis, or padded on the right (left with align 'right'). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left', ellipsis = '…'): string {
  const cut = truncate(text, width, ellipsis);
  const pad = ' '.repeat(Math.max(0, width - cellWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
}

const ASCII_FOR: Readonly<Record<string, string>> = {
  '≥': '>',
  '≤': '<',
  '…': '~',
  '°': '',
  '↓': 'v',
  '↑': '^',
  '·': '.',
};

/**
 * A line for a terminal that is not UTF-8 (LANG=C, --ascii): the few symbols Argus writes get one-cell ASCII
 * stand-ins, anything else outside ASCII (a command line's, a mount point's) becomes "?", one per cell it took.
 */
export function toAscii(line: string): string {
  return line.replace(
    // eslint-disable-next-line no-control-regex -- everything outside printable ASCII and ESC is replaced
    /[^\x1b\x20-\x7e]/gu,
    (char) => ASCII_FOR[char] ?? '?'.repeat(Math.max(1, codePointWidth(char.codePointAt(0) ?? 0))),
  );
}

/**
 * Lines of at most `width` cells, broken at spaces (a word longer than the width is cut): for table cells, where
 * cli-table3's own wrapping measured every prefix of every word and took 80 ms for `argus checks`.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let used = 0;
    for (const word of paragraph.split(' ')) {
      const cells = cellWidth(word);
      if (used > 0 && used + 1 + cells > width) {
        lines.push(line);
        line = '';
        used = 0;
      }
      const piece = cells > width ? truncate(word, width) : word;
      line = used === 0 ? piece : `${line} ${piece}`;
      used += (used === 0 ? 0 : 1) + Math.min(cells, width);
    }
    lines.push(line);
  }
  return lines;
}
