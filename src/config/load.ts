import type * as Crypto from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { requireBuiltin } from '../platform/require-builtin.ts';
import { ConfigError, UsageError } from '../errors.ts';
import { didYouMeanHint } from './did-you-mean.ts';
import { locateConfig, type ConfigLocation } from './locate.ts';
import type { ParsedFile } from './parse-file.ts';
import { readParsedCache, writeParsedCache } from './parsed-cache.ts';
import { configSchema, createConfigSchema, type Config, type RawConfig } from './schema.ts';
import type { Check } from '../checks/check.ts';
import { loadPlugins } from '../checks/plugins.ts';
import { checks } from '../checks/registry.ts';
import { dirname } from 'node:path';
import { dotPath, validateConfig } from './validate.ts';

export interface LoadOptions {
  /** The -c flag, if given. */
  flagPath?: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Top-level keys set by command-line flags, labelled with the flag for messages ("--interval"). */
  flags?: Record<string, { value: unknown; flag: string }>;
}

export interface LoadedConfig {
  config: Config;
  /** The built-in checks plus those of the config's `plugins`. */
  checks: Readonly<Record<string, Check>>;
  location: ConfigLocation;
  sha256: string | undefined;
  warnings: string[];
}

export const MAX_CONFIG_BYTES = 1024 * 1024;
const TOP_LEVEL_KEYS = Object.keys(configSchema.entries);
const LIST_KEYS = new Set(['enabled_checks']);
const envName = (key: string): string => `ARGUS_${key.toUpperCase()}`;
// Variables read by bin/argus.cjs or the tests, not by the config.
const NOT_CONFIG_ENV = new Set(['ARGUS_CONFIG_PATH', 'ARGUS_NO_COMPILE_CACHE']);

/** Layers, lowest first: schema defaults < config file < ARGUS_* environment < flags. Validates once, after merging. */
export async function loadConfig(options: LoadOptions): Promise<LoadedConfig> {
  const location = locateConfig(options.flagPath, options.env, options.cwd);
  const file = location.path === undefined ? undefined : await readConfigFile(location.path);
  const sources = new Map<string, string>();
  const raw: RawConfig = {};
  const issues: string[] = [];
  const warnings: string[] = [];

  if (file) {
    issues.push(
      ...file.parsed.problems.map((problem) => `${file.path}:${problem.line}:${problem.col}: ${problem.message}`),
    );
    if (file.parsed.value !== null && file.parsed.value !== undefined) {
      if (typeof file.parsed.value !== 'object' || Array.isArray(file.parsed.value)) {
        issues.push(`${file.path}:1:1: (root): must be a mapping of keys to values`);
      } else Object.assign(raw, file.parsed.value);
    }
  }
  for (const [name, text] of Object.entries(options.env)) {
    if (!name.startsWith('ARGUS_') || NOT_CONFIG_ENV.has(name) || name.startsWith('ARGUS_TEST_') || text === undefined)
      continue;
    const key = TOP_LEVEL_KEYS.find((candidate) => envName(candidate) === name);
    if (!key) {
      warnings.push(
        `environment ${name} is not a setting and is ignored${didYouMeanHint(name, [...TOP_LEVEL_KEYS.map(envName), ...NOT_CONFIG_ENV])}`,
      );
      continue;
    }
    try {
      raw[key] = envValue(key, text);
      sources.set(key, `environment ${name}`);
    } catch (error) {
      issues.push(`environment ${name}: ${key}: ${(error as Error).message}`);
    }
  }
  for (const [key, { value, flag }] of Object.entries(options.flags ?? {})) {
    raw[key] = value;
    sources.set(key, `option ${flag}`);
  }
  if (file && file.parsed.value === undefined && issues.length > 0) throw configError(issues, location, file.sha256);

  // Plugins come before validation: their options and thresholds are part of the schema.
  const pluginPaths = Array.isArray(raw.plugins)
    ? raw.plugins.filter((path): path is string => typeof path === 'string' && path !== '')
    : [];
  const checkSet =
    pluginPaths.length === 0
      ? checks
      : {
          ...checks,
          ...(await loadPlugins(pluginPaths, location.path ? dirname(location.path) : options.cwd, checks)),
        };
  const result = validateConfig(raw, checkSet === checks ? undefined : createConfigSchema(checkSet));
  if (!result.ok || issues.length > 0) {
    const positionOf = file && !result.ok ? await positionsOf(file) : undefined;
    const fromFlags =
      !result.ok &&
      issues.length === 0 &&
      result.issues.every((issue) => sources.get(String(issue.path[0]))?.startsWith('option '));
    const lines = (result.ok ? [] : result.issues).map((issue) => {
      const where = sources.get(String(issue.path[0]));
      const position = !where && positionOf ? positionOf(issue.path, issue.atKey) : undefined;
      const prefix = where ?? (file ? `${file.path}:${position?.line ?? 1}:${position?.col ?? 1}` : 'defaults');
      return `${prefix}: ${dotPath(issue.path)}: ${issue.message}`;
    });
    // A bad option value is a usage error (64), as a bad option is: only what a file or the environment said is
    // a configuration error (78), which a service manager should not retry.
    if (fromFlags) throw new UsageError(lines.join('\n'));
    throw configError(sortByPosition([...issues, ...lines]), location, file?.sha256);
  }
  return {
    config: result.config,
    checks: checkSet,
    location,
    sha256: file?.sha256,
    warnings: [...warnings, ...result.warnings],
  };
}

/** File issues in reading order (by line, then column); environment and flag issues after them. */
function sortByPosition(lines: string[]): string[] {
  const key = (line: string): [number, number] => {
    const match = /:(\d+):(\d+): /.exec(line);
    return match ? [Number(match[1]), Number(match[2])] : [Infinity, 0];
  };
  return lines
    .map((line) => ({ line, at: key(line) }))
    .sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1])
    .map(({ line }) => line);
}

function configError(issues: string[], location: ConfigLocation, sha256: string | undefined): ConfigError {
  const what = location.path ? `"${location.path}"` : 'the settings';
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return new ConfigError(`Invalid configuration in ${what}: ${count}`, issues, {
    hint: 'fix the lines above, then run `argus config check` to confirm',
    ...(location.path ? { file: location.path } : {}),
    ...(sha256 ? { sha256 } : {}),
  });
}

interface ConfigFile {
  path: string;
  sha256: string;
  /** positionOf is absent when the value came from the parsed-config cache. */
  parsed: Pick<ParsedFile, 'value' | 'problems'> & Partial<Pick<ParsedFile, 'positionOf'>>;
}

async function readConfigFile(path: string): Promise<ConfigFile> {
  let stats: Stats;
  try {
    stats = statSync(path);
    if (!stats.isFile()) throw new ConfigError(`Cannot read config file "${path}": not a regular file`, []);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new ConfigError(`Cannot read config file "${path}": ${reason}`, [], { file: path });
  }
  if (stats.size > MAX_CONFIG_BYTES) {
    throw new ConfigError(`Cannot read config file "${path}": it is ${stats.size} bytes, over the 1 MiB limit`, [], {
      file: path,
    });
  }
  // An unchanged file that parsed cleanly before skips yaml and node:crypto, ~15 ms of a one-shot run.
  const cached = readParsedCache(path, stats);
  if (cached) return { path, sha256: cached.sha256, parsed: { value: cached.value, problems: [] } };
  const bytes = readFileSync(path);
  const { createHash } = requireBuiltin('node:crypto') as typeof Crypto;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // yaml is the heaviest module we load; an import only here keeps `argus version` and friends quick.
  const { parseConfigText } = await import('./parse-file.ts');
  const parsed = parseConfigText(bytes.toString('utf8'));
  if (parsed.problems.length === 0) writeParsedCache(path, stats, { sha256, value: parsed.value });
  return { path, sha256, parsed };
}

/** Positions for messages: a cached value has none, so the file is parsed again (only on the error path). */
async function positionsOf(file: ConfigFile): Promise<ParsedFile['positionOf']> {
  const { parseConfigText } = await import('./parse-file.ts');
  const parsed = file.parsed.positionOf ? file.parsed : parseConfigText(readFileSync(file.path, 'utf8'));
  return (path, atKey) => parsed.positionOf?.(path, atKey);
}

function envValue(key: string, text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    return JSON.parse(trimmed, (name, value: unknown) => {
      if (name === '__proto__' || name === 'constructor' || name === 'prototype')
        throw new SyntaxError(`key "${name}" is not allowed`);
      return value;
    }) as unknown;
  }
  if (LIST_KEYS.has(key))
    return trimmed
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  return text;
}
