import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as v from 'valibot';
import { ConfigError } from '../errors.ts';
import { importModule } from '../platform/import-module.ts';
import { defineCheck, UNITS, type Check, type Reading } from './check.ts';

/** What a plugin module's factory receives, so it needs no import of Argus or valibot from wherever it lives. */
export interface PluginApi {
  defineCheck: typeof defineCheck;
  v: typeof v;
}

const NAME = /^[a-z][a-z0-9_]{0,31}$/;

const isStrictObjectSchema = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  (value as { type?: unknown }).type === 'strict_object' &&
  'entries' in value;

const pluginCheckSchema = v.pipe(
  v.looseObject({
    name: v.pipe(
      v.string(),
      v.regex(NAME, 'must be lower-case letters, digits and _, starting with a letter (at most 32)'),
    ),
    description: v.pipe(v.string(), v.minLength(1, 'must say what the check measures')),
    categories: v.optional(v.array(v.string()), ['plugin']),
    options: v.optional(
      v.custom(isStrictObjectSchema, 'must be v.strictObject({ … }) from the api the factory receives'),
      v.strictObject({}),
    ),
    metrics: v.pipe(
      v.array(
        v.looseObject({
          name: v.pipe(v.string(), v.regex(/^\w+$/, 'must be letters, digits and _')),
          unit: v.picklist(UNITS, `must be one of ${UNITS.join(', ')}`),
          help: v.string(),
        }),
      ),
      v.minLength(1, 'must declare at least one metric'),
    ),
    mainMetric: v.string(),
    create: v.function('must be a function (options) => (context) => readings'),
    summarize: v.optional(v.function('must be a function (reading) => string')),
  }),
  v.check(
    (check) => check.metrics.some((metric) => metric.name === check.mainMetric),
    'mainMetric must be one of the declared metrics',
  ),
);

/** The details line for plugins that do not write their own: "instance: metric=value, …". */
const genericSummary: Check['summarize'] = (reading) =>
  `${reading.instance ? `${reading.instance}: ` : ''}${Object.entries(reading.metrics)
    .map(([metric, value]) => `${metric}=${Number.isInteger(value) ? value : value.toFixed(2)}`)
    .join(', ')}`;

async function loadOne(path: string, api: PluginApi): Promise<Check> {
  let module: { default?: unknown; check?: unknown };
  try {
    module = (await importModule(pathToFileURL(path).href)) as typeof module;
  } catch (error) {
    throw new ConfigError(`Cannot load plugin "${path}"`, [`${path}: ${(error as Error).message}`]);
  }
  // ESM: `export default` or `export const check`; CommonJS arrives as default: module.exports (or its .check).
  const fallback = module.default as { check?: unknown; create?: unknown } | undefined;
  const exported =
    module.check ??
    (fallback && typeof fallback === 'object' && !('create' in fallback) && 'check' in fallback
      ? fallback.check
      : fallback);
  let candidate: unknown;
  try {
    candidate = typeof exported === 'function' ? (exported as (api: PluginApi) => unknown)(api) : exported;
  } catch (error) {
    throw new ConfigError(`Cannot load plugin "${path}": its factory threw`, [`${path}: ${(error as Error).message}`]);
  }
  const result = v.safeParse(pluginCheckSchema, candidate);
  if (!result.success) {
    const issues = result.issues.map((issue) => `${path}: ${v.getDotPath(issue) ?? '(export)'}: ${issue.message}`);
    throw new ConfigError(`Invalid plugin "${path}": it must export a check, or a function (api) => check`, issues, {
      hint: 'see examples/spool-queue.mjs for a complete plugin',
    });
  }
  const plugin = result.output as unknown as Check;
  return {
    ...plugin,
    create: (options) => {
      const collect = plugin.create(options);
      return async (context) => (await collect(context)).map(ownCopy);
    },
    summarize: (result.output.summarize as Check['summarize'] | undefined) ?? genericSummary,
  };
}

/**
 * A plugin may return objects it keeps and changes on its next run; results, alert events and the history
 * hand-off hold on to a cycle's readings for seconds, so they get copies of their own.
 */
const ownCopy = (reading: Reading): Reading => ({
  ...reading,
  metrics: { ...reading.metrics },
  ...(reading.labels ? { labels: { ...reading.labels } } : {}),
});

/**
 * Plugins get valibot itself, the package, loaded with the first plugin. Handing them the bundle's copy would keep
 * every valibot function in the bundle, since tree shaking cannot drop what a plugin might call: 70 KB more for
 * every run to read, and its namespace built at start (`status --once` took 8 ms longer). Schemas of the two copies
 * work together: valibot's schemas are plain objects that carry their own `~run`.
 */
let api: PluginApi | undefined;
const pluginApi = async (): Promise<PluginApi> =>
  (api ??= { defineCheck, v: (await importModule('valibot')) as typeof v });

/**
 * Loads plugin checks: each module exports a check built with `defineCheck`, or a function that receives
 * { defineCheck, v } and returns one. Shapes are checked at load, names must not clash with built-in checks.
 */
export async function loadPlugins(
  paths: readonly string[],
  baseDir: string,
  builtIn: Readonly<Record<string, Check>>,
): Promise<Record<string, Check>> {
  const loaded: Record<string, Check> = {};
  const origins = new Map<string, string>();
  for (const path of paths) {
    const absolute = isAbsolute(path) ? path : resolve(baseDir, path);
    const check = await loadOne(absolute, await pluginApi());
    const name = (check as Check & { name: string }).name;
    if (Object.hasOwn(builtIn, name))
      throw new ConfigError(`Invalid plugin "${absolute}"`, [`${absolute}: name "${name}" is a built-in check`]);
    const other = origins.get(name);
    if (other)
      throw new ConfigError(`Invalid plugin "${absolute}"`, [
        `${absolute}: name "${name}" is also the name of "${other}"`,
      ]);
    origins.set(name, absolute);
    loaded[name] = check;
  }
  return loaded;
}
