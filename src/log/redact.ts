const SECRET_KEY = /pass(word|phrase)?|secret|token|api[_-]?key|authorization|credential|private[_-]?key|cookie/i;
export const REDACTED = '***';

/** Hides credentials inside a string: "https://user:pw@host" and "?token=abc" keep their shape, lose the secret. */
export function redactString(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(:[^/\s@]*)?@/gi, `$1${REDACTED}@`)
    .replace(/([?&](?:token|key|api_key|apikey|secret|password|sig|signature)=)[^&\s]+/gi, `$1${REDACTED}`)
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`);
}

// Nothing set is nothing to hide: an empty token list prints as [] so readers see that auth is off.
const isEmpty = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  value === false ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

/** A deep copy with secret-looking keys blanked and credentials in strings hidden; safe to log or print. */
export function redactSecrets(value: unknown, key = ''): unknown {
  if (key !== '' && SECRET_KEY.test(key) && !isEmpty(value)) return REDACTED;
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, redactSecrets(item, name)]));
  }
  return value;
}
