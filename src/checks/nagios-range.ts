/** A Monitoring Plugins range: alert when the value is outside [start, end], or inside it when `inside`. */
export interface NagiosRange {
  start: number;
  end: number;
  inside: boolean;
}

const parseBound = (text: string, range: string): number => {
  const value = Number(text.replace(/%$/, ''));
  if (text === '' || !Number.isFinite(value)) throw new RangeError(`Range format incorrect: "${range}"`);
  return value;
};

/**
 * Parses `[@]start:end` as the Monitoring Plugins guidelines define it: "10" is 0..10, "10:" is 10..inf,
 * "~:10" is -inf..10, "@" inverts; start > end is an error. A trailing "%" is ignored, as in utils_base.c.
 */
export function parseNagiosRange(text: string): NagiosRange {
  let body = text.trim();
  const inside = body.startsWith('@');
  if (inside) body = body.slice(1);
  const colon = body.indexOf(':');
  let start = 0;
  let end = Infinity;
  if (colon < 0) {
    end = parseBound(body, text);
  } else {
    const startText = body.slice(0, colon);
    const endText = body.slice(colon + 1);
    if (startText === '~') start = -Infinity;
    else if (startText !== '') start = parseBound(startText, text);
    if (endText !== '') end = parseBound(endText, text);
  }
  if (start > end) throw new RangeError(`Range format incorrect: "${text}" has start greater than end`);
  return { start, end, inside };
}

/** Both endpoints are inclusive, following the documented (legacy) rule rather than mp_check_range()'s `<`. */
export function rangeAlerts(range: NagiosRange, value: number): boolean {
  const within = value >= range.start && value <= range.end;
  return range.inside ? within : !within;
}
