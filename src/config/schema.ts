import * as v from 'valibot';
import { absolutePathSchema, pathSchema } from '../schema/os-values.ts';
import type { Check } from '../checks/check.ts';
import { parseNagiosRange } from '../checks/nagios-range.ts';
import { checks, type CheckName } from '../checks/registry.ts';
import { exporterSettingsSchema } from '../exporters/registry.ts';
import { DURATION_LIMITS, durationSchema } from '../schema/duration.ts';
import { notifiers, notifierTypes } from '../notifiers/registry.ts';
import type { NotifierDefinition } from '../notifiers/notifier.ts';
import { LOG_LEVELS } from '../log/logger.ts';
import { STATUSES } from '../result.ts';
import { serverSchema } from './server-schema.ts';
import { sinks, sinkTypes } from '../sinks/registry.ts';
import type { SinkDefinition } from '../sinks/sink.ts';

export const OUTPUT_FORMATS = ['table', 'json'] as const;
export const DEFAULT_ENABLED_CHECKS: CheckName[] = ['cpu', 'ram', 'disk', 'network'];

const isRange = (text: string): boolean => {
  try {
    parseNagiosRange(text);
    return true;
  } catch {
    return false;
  }
};

const thresholdSchema = v.union(
  [v.number(), v.pipe(v.string(), v.check(isRange, 'must be a Nagios range such as "90", "10:", "~:10" or "@10:20"'))],
  'must be a number (alert at or above it) or a Nagios range string such as "10:" or "@10:20"',
);
// null removes a level an earlier layer (the defaults, the check-wide value) set.
const pairEntries = { warn: v.optional(v.nullable(thresholdSchema)), crit: v.optional(v.nullable(thresholdSchema)) };
const pairSchema = v.strictObject(pairEntries);

function thresholdsFor(check: Check) {
  const metricEntries = Object.fromEntries(
    check.metrics.filter((metric) => /^\w+$/.test(metric.name)).map((metric) => [metric.name, v.optional(pairSchema)]),
  );
  const level = { ...pairEntries, ...metricEntries };
  return v.strictObject({ ...level, instances: v.optional(v.record(v.string(), v.strictObject(level))) });
}

const runnerEntries = {
  timeout: v.pipe(
    v.optional(durationSchema(DURATION_LIMITS.timeout)),
    v.description('Seconds one run may take; default min(poll_interval, 10)'),
  ),
  retries: v.pipe(
    v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10))),
    v.description('Extra attempts after a failure'),
  ),
};

// A check with its own configSchema (command: a list) still produces its options object; the cast keeps the
// options-plus-runner type that create() and the cycle expect.
const checkOptionsSchema = <C extends Check>(check: C) =>
  (check.configSchema as undefined) ??
  v.optional(v.strictObject({ ...(check.options.entries as C['options']['entries']), ...runnerEntries }), {} as never);

type Checks = typeof checks;
/** Keeps each check's own option types, so config.checks.disk.mount_timeout is a number, not unknown. */
type CheckOptionsSchemas = { [K in CheckName]: ReturnType<typeof checkOptionsSchema<Checks[K]>> };

const perCheck = <T extends v.GenericSchema>(set: Readonly<Record<string, Check>>, build: (check: Check) => T) =>
  Object.fromEntries(Object.entries(set).map(([name, check]) => [name, build(check)])) as Record<CheckName, T>;

/** Names a sink or notifier in logs, the audit log and outbox directories, so it stays a plain word. */
const entryNameSchema = v.pipe(v.string(), v.regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"'));

/** A rule across fields (https unless allowed), reported at the field it is about. */
const fieldRule = <T>(validate: (value: T) => { key: string; message: string } | undefined) =>
  v.rawCheck<T>(({ dataset, addIssue }) => {
    // Cross-field rules read fields as valid values (a URL they parse): they wait until every field is.
    if (!dataset.typed || dataset.issues) return;
    const problem = validate(dataset.value);
    if (!problem) return;
    const value = dataset.value as Record<string, unknown>;
    addIssue({
      message: problem.message,
      path: [{ type: 'object', origin: 'value', input: value, key: problem.key, value: value[problem.key] }],
    });
  });

/** One entry of `sinks:`: `type` picks the sink, `name` tells two of a kind apart in logs. */
const sinkSchema = <T extends string, D extends SinkDefinition>(type: T, definition: D) =>
  v.pipe(
    v.strictObject({
      type: v.literal(type),
      name: v.optional(entryNameSchema),
      ...(definition.options.entries as D['options']['entries']),
    }),
    fieldRule((value) => definition.validate?.(value as never)),
  );
const sinkEntrySchema = v.variant(
  'type',
  sinkTypes.map((type) => sinkSchema(type, sinks[type])),
  `must be one of ${sinkTypes.join(', ')}`,
);

const count = (minimum: number) => v.pipe(v.number(), v.integer(), v.minValue(minimum));

const flapSchema = v.pipe(
  v.strictObject({
    window: v.optional(v.pipe(count(3), v.maxValue(100)), 10),
    start: v.optional(count(2), 5),
    stop: v.optional(count(0), 2),
  }),
  v.check((flap) => flap.stop < flap.start && flap.start < flap.window, 'needs stop < start < window'),
);

/** One entry of `alerts.notify`: `type` picks the notifier, `checks`/`statuses` route, the rest are its options. */
const notifierSchema = <T extends string, D extends NotifierDefinition>(type: T, definition: D) =>
  v.pipe(
    v.strictObject({
      type: v.literal(type),
      name: entryNameSchema,
      checks: v.optional(v.array(v.string()), []),
      statuses: v.optional(v.array(v.picklist(STATUSES, `must be one of ${STATUSES.join(', ')}`)), []),
      ...(definition.options.entries as D['options']['entries']),
    }),
    fieldRule((value) => definition.validate?.(value)),
  );

const notifyListSchema = v.pipe(
  v.optional(
    v.array(
      v.variant(
        'type',
        notifierTypes.map((type) => notifierSchema(type, notifiers[type])),
        `must be one of ${notifierTypes.join(', ')}`,
      ),
    ),
    [],
  ),
  v.check((list) => new Set(list.map((entry) => entry.name)).size === list.length, 'notifier names must be unique'),
  v.description(`Where alerts go: ${notifierTypes.join(', ')}`),
);

const alertsSchema = v.pipe(
  v.optional(
    v.strictObject({
      enabled: v.pipe(v.optional(v.boolean(), true), v.description('Track alert state in the status loop')),
      for_cycles: v.pipe(v.optional(count(1), 2), v.description('Cycles a new status must hold before it fires')),
      for: v.pipe(
        v.optional(durationSchema({ max: 30 * 86400 }), 0),
        v.description('…and how long it must have lasted'),
      ),
      resolve_after_cycles: v.pipe(
        v.optional(count(1), 2),
        v.description('OK cycles in a row before a firing alert resolves'),
      ),
      repeat_interval: v.pipe(
        v.optional(durationSchema({ max: 30 * 86400 }), 4 * 3600),
        v.description('Notify again while still firing; 0 never'),
      ),
      flap_detection: v.pipe(
        v.optional(v.union([v.literal(false), flapSchema], 'must be false or { window, start, stop }'), {}),
        v.description('Status changes within the last `window` cycles that start (and stop) suppressing notifications'),
      ),
      state_file: v.pipe(v.optional(pathSchema), v.description('Default $XDG_STATE_HOME/argus/alerts.json')),
      notify: notifyListSchema,
      outbox_ttl: v.pipe(
        v.optional(durationSchema({ max: 30 * 86400 }), 24 * 3600),
        v.description('Undelivered notifications older than this are dropped'),
      ),
    }),
    {},
  ),
  v.description('When a status change becomes an alert'),
);

const storageSchema = v.pipe(
  v.optional(
    v.strictObject({
      sqlite: v.pipe(
        v.optional(
          v.strictObject({
            enabled: v.pipe(
              v.optional(v.boolean(), true),
              v.description('Record every cycle of the status loop and the agent'),
            ),
            path: v.pipe(v.optional(pathSchema), v.description('Default $XDG_DATA_HOME/argus/history.db')),
            retention: v.pipe(
              v.optional(durationSchema({ min: 3600, max: 3650 * 86400 }), 30 * 86400),
              v.description('How long history is kept, e.g. "30d"'),
            ),
          }),
          {},
        ),
        v.description('The embedded SQLite history that `argus report` reads'),
      ),
    }),
    {},
  ),
  v.description('Where history is kept'),
);

const logLevelSchema = v.pipe(
  v.string(),
  v.transform((level) => (level.toUpperCase() === 'WARN' ? 'WARNING' : level.toUpperCase())),
  v.picklist(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')} (any case)`),
);

/**
 * The whole configuration for a set of checks: the built-ins, plus plugin checks when the config loads some.
 * Keys are snake_case; every key has a default, so an empty file is valid.
 */
export const createConfigSchema = (set: Readonly<Record<string, Check>> = checks) => {
  const names = Object.keys(set);
  return v.strictObject({
    enabled_checks: v.pipe(
      v.optional(v.array(v.picklist(names, `must be one of ${names.join(', ')}`)), DEFAULT_ENABLED_CHECKS),
      v.description('Checks to run'),
    ),
    plugins: v.pipe(
      v.optional(v.array(pathSchema), []),
      v.description('JavaScript modules that each export a check (paths relative to the config file)'),
    ),
    poll_interval: v.pipe(
      v.optional(durationSchema({ min: 0.1, max: 86400 }), 60),
      v.description('Seconds between cycles of the status loop'),
    ),
    output_format: v.pipe(
      v.optional(v.picklist(OUTPUT_FORMATS, 'must be "table" or "json"'), 'table'),
      v.description('How `status` prints'),
    ),
    log_level: v.pipe(v.optional(logLevelSchema, 'INFO'), v.description('DEBUG, INFO, WARNING or ERROR, any case')),
    log_file: v.pipe(v.optional(pathSchema), v.description('Also write logs here, rotated by size')),
    log_max_bytes: v.pipe(
      v.optional(v.pipe(v.number(), v.integer(), v.minValue(4096)), 10 * 1024 * 1024),
      v.description('Rotate log_file past this size'),
    ),
    log_max_files: v.pipe(
      v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)), 5),
      v.description('Rotated log files kept'),
    ),
    audit_log: v.pipe(
      v.optional(v.union([pathSchema, v.literal(false)], 'must be a file path or false')),
      v.description(
        'Audit trail of config loads and internal errors; default $XDG_STATE_HOME/argus/audit.log, false to turn off',
      ),
    ),
    sample_window: v.pipe(
      v.optional(durationSchema({ min: 0.1, max: 60 }), 0.2),
      v.description('Seconds between the two samples of rate checks in a one-shot run'),
    ),
    retry_backoff: v.pipe(
      v.optional(durationSchema({ max: 60 }), 0.5),
      v.description('Seconds before the first retry of a failed check; doubles per retry'),
    ),
    checks: v.pipe(
      v.optional(v.strictObject(perCheck(set, checkOptionsSchema) as unknown as CheckOptionsSchemas), {}),
      v.description('Options per check'),
    ),
    sinks: v.pipe(
      v.optional(v.array(sinkEntrySchema), []),
      v.description(`Where each cycle's results also go: ${sinkTypes.join(', ')}`),
    ),
    alerts: alertsSchema,
    storage: storageSchema,
    server: serverSchema,
    exporters: exporterSettingsSchema(),
    host: v.pipe(
      v.optional(
        v.strictObject({
          procfs: v.pipe(v.optional(absolutePathSchema, '/proc'), v.description("Where the host's /proc is mounted")),
          sysfs: v.pipe(v.optional(absolutePathSchema, '/sys'), v.description("Where the host's /sys is mounted")),
          rootfs: v.pipe(
            v.optional(absolutePathSchema, '/'),
            v.description("Where the host's / is mounted: its mount table and file systems are read there"),
          ),
        }),
        {},
      ),
      v.description("The host to monitor, as node_exporter's --path.*: set them to monitor a host from a container"),
    ),
    thresholds: v.pipe(
      v.optional(v.strictObject(perCheck(set, (check) => v.optional(thresholdsFor(check)))), {}),
      v.description('warn/crit per check, per metric and per instance'),
    ),
  });
};

export const configSchema = createConfigSchema();
export type Config = v.InferOutput<typeof configSchema>;
export type RawConfig = Record<string, unknown>;

/** Keys a schema node accepts, for "did you mean" on unknown ones. */
export function knownKeysAt(path: readonly (string | number)[], root: v.GenericSchema = configSchema): string[] {
  const entries = entriesOf(schemaAt(path, root));
  return entries ? Object.keys(entries) : [];
}

/** Every key the schema does not know, at any depth (valibot's strictObject stops at the first one). */
export function findUnknownKeys(
  raw: unknown,
  root: v.GenericSchema = configSchema,
  path: (string | number)[] = [],
): (string | number)[][] {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const node = schemaAt(path, root);
  const entries = entriesOf(node);
  const isRecord = !entries && (unwrap(node) as { type?: string } | undefined)?.type === 'record';
  if (!entries && !isRecord) return [];
  return Object.entries(raw).flatMap(([key, value]) =>
    entries && !Object.hasOwn(entries, key) ? [[...path, key]] : findUnknownKeys(value, root, [...path, key]),
  );
}

function schemaAt(path: readonly (string | number)[], root: v.GenericSchema): v.GenericSchema | undefined {
  let node: v.GenericSchema | undefined = root;
  for (const key of path) node = childSchema(unwrap(node), key);
  return node;
}

function entriesOf(schema: v.GenericSchema | undefined): Record<string, unknown> | undefined {
  const node = unwrap(schema) as
    { entries?: Record<string, unknown>; options?: { entries: Record<string, unknown> }[]; type?: string } | undefined;
  // A variant (sinks) accepts the keys of whichever option its discriminator picks: offer them all as guesses.
  if (node?.type === 'variant')
    return Object.assign({}, ...(node.options ?? []).map((option) => option.entries)) as Record<string, unknown>;
  return node?.entries;
}

function unwrap(schema: v.GenericSchema | undefined): v.GenericSchema | undefined {
  let node = schema as (v.GenericSchema & { wrapped?: v.GenericSchema; pipe?: v.GenericSchema[] }) | undefined;
  while (node) {
    if (node.wrapped) node = node.wrapped;
    else if (node.pipe && node.pipe[0] !== node) node = node.pipe[0];
    else break;
  }
  return node;
}

function childSchema(schema: v.GenericSchema | undefined, key: string | number): v.GenericSchema | undefined {
  const node = schema as
    { entries?: Record<string, v.GenericSchema>; value?: v.GenericSchema; item?: v.GenericSchema } | undefined;
  if (node?.entries) return node.entries[String(key)];
  return node?.value ?? node?.item;
}
