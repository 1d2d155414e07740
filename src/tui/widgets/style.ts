/**
 * How the terminal draws: colour (off with NO_COLOR, https://no-color.org, or on a dumb terminal) and Unicode
 * (off with --ascii or a locale that is not UTF-8, where block characters would come out as mojibake).
 */
export interface Style {
  color: boolean;
  unicode: boolean;
}

export type Colour = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'grey' | 'bold' | 'inverse';

const SGR: Readonly<Record<Colour, string>> = {
  red: '31',
  green: '32',
  yellow: '33',
  blue: '34',
  magenta: '35',
  cyan: '36',
  grey: '90',
  bold: '1',
  inverse: '7',
};

/** Wraps text in a colour when colour is on; the text's cell width is unchanged either way. */
export const paint = (style: Style, colour: Colour | undefined, text: string): string =>
  style.color && colour !== undefined && text !== '' ? `\x1b[${SGR[colour]}m${text}\x1b[0m` : text;

/** Whether the locale says UTF-8 (LC_ALL, then LC_CTYPE, then LANG, as setlocale(3) looks them up). */
export function localeIsUtf8(env: NodeJS.ProcessEnv): boolean {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(locale);
}

export const STATUS_COLOUR = { OK: 'green', WARN: 'yellow', CRIT: 'red', UNKNOWN: 'magenta' } as const;
