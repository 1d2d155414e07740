/**
 * Reads the lines and blank-separated fields of a /proc table in place. The tables read every cycle (stat,
 * meminfo, diskstats, net/dev) are small, but split() makes a string per field and an array per line: in a loop
 * without the optimizing compiler that was most of a cycle's garbage, and on a VM every fresh page of garbage
 * costs a page fault.
 * @example
 * const cursor = fieldCursor('cpu  10 20\ncpu0 5 10\n');
 * while (nextLine(cursor)) console.log(nextField(cursor), nextNumber(cursor), nextNumber(cursor));
 */
export interface FieldCursor {
  readonly text: string;
  /** Where the next field of the current line is looked for. */
  position: number;
  /** Index of the current line's "\n" (or the text's length). */
  lineEnd: number;
}

export const fieldCursor = (text: string): FieldCursor => ({ text, position: 0, lineEnd: -1 });

/** Moves to the next line; false after the last one. A final "\n" does not start an empty line. */
export function nextLine(cursor: FieldCursor): boolean {
  const start = cursor.lineEnd + 1;
  if (start >= cursor.text.length) return false;
  const end = cursor.text.indexOf('\n', start);
  cursor.position = start;
  cursor.lineEnd = end < 0 ? cursor.text.length : end;
  return true;
}

const isBlank = (code: number): boolean => code === 32 || code === 9 || code === 13;

function skipBlanks(cursor: FieldCursor): number {
  let at = cursor.position;
  while (at < cursor.lineEnd && isBlank(cursor.text.charCodeAt(at))) at += 1;
  return at;
}

function fieldEnd(cursor: FieldCursor, from: number): number {
  let at = from;
  while (at < cursor.lineEnd && !isBlank(cursor.text.charCodeAt(at))) at += 1;
  return at;
}

/** The next field of the line; '' when the line has no more. */
export function nextField(cursor: FieldCursor): string {
  const start = skipBlanks(cursor);
  const end = fieldEnd(cursor, start);
  cursor.position = end;
  return cursor.text.slice(start, end);
}

/** Past the next field, without reading it. */
export function skipField(cursor: FieldCursor): void {
  cursor.position = fieldEnd(cursor, skipBlanks(cursor));
}

/** Digits of a field read as they come; past 15 of them Number() decides, so results are exactly Number()'s. */
const MAX_EXACT_DIGITS = 15;

/** The next field as a number: NaN when it is not one or the line has no more fields. */
export function nextNumber(cursor: FieldCursor): number {
  const { text } = cursor;
  const start = skipBlanks(cursor);
  let at = start;
  let value = 0;
  for (; at < cursor.lineEnd && at - start < MAX_EXACT_DIGITS; at += 1) {
    const digit = text.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  if (at > start && (at === cursor.lineEnd || isBlank(text.charCodeAt(at)))) {
    cursor.position = at;
    return value;
  }
  // Not plain digits (a sign, a decimal point, a unit, a long counter): the whole field, the slow way.
  const end = fieldEnd(cursor, start);
  cursor.position = end;
  return end > start ? Number(text.slice(start, end)) : Number.NaN;
}

/** Whether the line has another field after the cursor. */
export function hasField(cursor: FieldCursor): boolean {
  cursor.position = skipBlanks(cursor);
  return cursor.position < cursor.lineEnd;
}
