import * as v from 'valibot';
import { didYouMeanHint } from './did-you-mean.ts';
import { configSchema, findUnknownKeys, knownKeysAt, type Config } from './schema.ts';
import type * as Valibot from 'valibot';

export interface ConfigIssue {
  path: (string | number)[];
  message: string;
  /** The issue is about the key itself (unknown key), so its position is the key's, not the value's. */
  atKey: boolean;
}

export type ValidationResult =
  { ok: true; config: Config; warnings: string[] } | { ok: false; issues: ConfigIssue[]; warnings: string[] };

type Rule = (config: Config) => string[];

const warnIfTimeoutExceedsInterval: Rule = (config) =>
  Object.entries(config.checks)
    .filter(([, options]) => options.timeout !== undefined && options.timeout > config.poll_interval)
    .map(
      ([name, options]) =>
        `checks.${name}.timeout: ${options.timeout}s is longer than poll_interval (${config.poll_interval}s); cycles will be skipped while it runs`,
    );

const rules: Rule[] = [warnIfTimeoutExceedsInterval];

function unknownKeyIssue(path: (string | number)[], root: Valibot.GenericSchema): ConfigIssue {
  const key = String(path.at(-1));
  const known = knownKeysAt(path.slice(0, -1), root);
  const hint = didYouMeanHint(key, known) || (known.length > 0 ? `; known keys: ${known.join(', ')}` : '');
  return { path, message: `unknown key "${key}"${hint}`, atKey: true };
}

function toConfigIssue(
  issue: v.BaseIssue<unknown>,
  unknownKeys: Set<string>,
  root: Valibot.GenericSchema,
): ConfigIssue | undefined {
  const path = (issue.path ?? []).map((item) => item.key as string | number);
  if (issue.type === 'strict_object' && issue.path?.at(-1)?.origin === 'key' && issue.expected !== 'never') {
    // valibot reports a missing key as an issue at the key, as it does an unknown one (which expects "never").
    return { path, message: `required key "${String(path.at(-1))}" is missing`, atKey: false };
  }
  if (issue.type === 'strict_object' && issue.path?.at(-1)?.origin === 'key') {
    // findUnknownKeys() reports every unknown key it can reach; inside variants (sinks) valibot's first one stands.
    return unknownKeys.has(JSON.stringify(path)) ? undefined : unknownKeyIssue(path, root);
  }
  let message = issue.message;
  if (issue.type === 'picklist' && typeof issue.input === 'string') {
    message += didYouMeanHint(
      issue.input,
      (issue.expected ?? '').split(' | ').map((option) => option.replace(/"/g, '')),
    );
  }
  return {
    path,
    message: message.replace(/^Invalid type: Expected (.*) but received (.*)$/, 'must be $1 (got $2)'),
    atKey: false,
  };
}

/** Validates a merged raw config; never throws. Paths are kept structured so the loader can find line:col. */
export function validateConfig(raw: unknown, schema: Valibot.GenericSchema = configSchema): ValidationResult {
  const result = v.safeParse(schema, raw ?? {}, { abortEarly: false });
  if (!result.success) {
    const unknown = findUnknownKeys(raw, schema);
    const seen = new Set(unknown.map((path) => JSON.stringify(path)));
    const issues = [
      ...unknown.map((path) => unknownKeyIssue(path, schema)),
      ...result.issues.map((issue) => toConfigIssue(issue, seen, schema)).filter((issue) => issue !== undefined),
    ];
    return { ok: false, issues, warnings: [] };
  }
  const config = result.output as Config;
  return { ok: true, config, warnings: rules.flatMap((rule) => rule(config)) };
}

export const dotPath = (path: readonly (string | number)[]): string =>
  path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('') || '(root)';
