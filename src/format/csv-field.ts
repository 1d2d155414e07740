/**
 * One RFC 4180 field: quoted when it holds a comma, quote, CR or LF, with quotes doubled. Text that a spreadsheet
 * would run as a formula (=, +, -, @ first) gets a leading apostrophe (OWASP "CSV injection"); numbers do not.
 */
export function csvField(value: string | number | undefined, isText = true): string {
  if (value === undefined) return '';
  let text = String(value);
  if (isText && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
