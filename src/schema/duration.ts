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

/** 86400 → "1d", 5400 → "1h30m", 0.2 → "200ms": the shortest duration text that reads back as the same seconds. */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  let left = Math.round(seconds);
  let text = '';
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (left >= size) {
      text += `${Math.floor(left / size)}${unit}`;
      left %= size;
    }
  }
  return text || '0s';
}

export interface DurationLimits {
  /** The longest accepted, in seconds: what still makes sense for the setting, never past a timer's reach. */
  max: number;
  min?: number;
}

/** A duration in seconds: a number, or a string such as "30s", "5m", "7d", "200ms"; refused past its limits. */
export const durationSchema = (limits: DurationLimits) =>
  v.pipe(
    v.union([v.number(), v.string()], 'must be a number of seconds or a duration such as "30s", "5m" or "200ms"'),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const seconds = typeof dataset.value === 'number' ? dataset.value : parseDuration(dataset.value);
      if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
        addIssue({
          message: `must be a non-negative number of seconds or a duration such as "30s", "5m" or "200ms" (got ${JSON.stringify(dataset.value)})`,
        });
        return NEVER;
      }
      if (seconds > limits.max) {
        addIssue({ message: `must be at most ${formatDuration(limits.max)} (got ${JSON.stringify(dataset.value)})` });
        return NEVER;
      }
      if (limits.min !== undefined && seconds < limits.min) {
        addIssue({ message: `must be at least ${formatDuration(limits.min)} (got ${JSON.stringify(dataset.value)})` });
        return NEVER;
      }
      return seconds;
    }),
  );

/** Limits shared by settings of one kind. */
export const DURATION_LIMITS = {
  /** A deadline for one run of something: a check, a plugin, a delivery. */
  timeout: { max: 3600 },
} as const;
