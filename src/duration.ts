import * as v from 'valibot';

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** "30s" → 30, "5m" → 300, "200ms" → 0.2, "1h30m" → 5400, "45" → 45 (seconds); undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(trimmed)) return undefined;
  let seconds = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g))
    seconds += Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1);
  return seconds;
}

/** A duration in seconds: a number, or a string such as "30s", "5m", "7d", "200ms". */
export const durationSchema = v.pipe(
  v.union([v.number(), v.string()], 'must be a number of seconds or a duration such as "30s", "5m" or "200ms"'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const seconds = typeof dataset.value === 'number' ? dataset.value : parseDuration(dataset.value);
    if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
      addIssue({
        message: `must be a non-negative number of seconds or a duration such as "30s", "5m" or "200ms" (got ${JSON.stringify(dataset.value)})`,
      });
      return NEVER;
    }
    return seconds;
  }),
);
