import * as v from 'valibot';
import { argvSchema, environmentSchema } from '../schema/os-values.ts';
import { parsePluginOutput } from '../collect/plugin-output.ts';
import { CommandTimeoutError, isNotFound, minimalEnvironment, runCommand } from '../platform/run-command.ts';
import { DURATION_LIMITS, durationSchema } from '../schema/duration.ts';
import type { Status } from '../result.ts';
import { defineCheck, type Reading } from './check.ts';

const KILL_GRACE_MS = 2000;
const STATUS_BY_EXIT: Record<number, Status> = { 0: 'OK', 1: 'WARN', 2: 'CRIT', 3: 'UNKNOWN' };

const commandEntry = v.strictObject({
  name: v.pipe(
    v.string(),
    v.regex(/^[\w.:/-]{1,64}$/, 'must be 1-64 letters, digits or . _ : / -'),
    v.description('Names the result (its instance)'),
  ),
  argv: v.pipe(argvSchema, v.description('Program and arguments; run without a shell')),
  timeout_seconds: v.pipe(
    v.optional(durationSchema(DURATION_LIMITS.timeout), 10),
    v.description('Then the plugin and all it started get SIGTERM, and SIGKILL 2 s later'),
  ),
  env: v.pipe(
    v.optional(environmentSchema, {}),
    v.description('Extra environment variables; the rest is PATH, LANG=C, LC_ALL=C'),
  ),
  max_output_bytes: v.pipe(
    v.optional(v.pipe(v.number(), v.integer(), v.minValue(256)), 64 * 1024),
    v.description('Output kept per stream'),
  ),
});

const options = v.strictObject({ commands: v.optional(v.array(commandEntry), []) });

type Command = v.InferOutput<typeof commandEntry>;

async function runPlugin(command: Command, inFlight: Set<string>): Promise<Reading> {
  const unknown = (details: string): Reading => ({
    instance: command.name,
    metrics: {},
    verdict: { status: 'UNKNOWN', details },
  });
  // A plugin still running from the last cycle (stuck past SIGKILL, in D state) is not started a second time.
  if (inFlight.has(command.name)) return unknown(`${command.name}: previous run is still running`);
  inFlight.add(command.name);
  try {
    const output = await runCommand(command.argv, {
      timeoutMs: command.timeout_seconds * 1000,
      killGraceMs: KILL_GRACE_MS,
      maxOutputBytes: command.max_output_bytes,
      env: minimalEnvironment(command.env),
      onExit: () => inFlight.delete(command.name),
    });
    const parsed = parsePluginOutput(output.stdout);
    const metrics: Record<string, number> = {};
    for (const item of parsed.perfdata) if (item.value !== undefined) metrics[item.label] = item.value;
    const status = output.exitCode === null ? 'UNKNOWN' : (STATUS_BY_EXIT[output.exitCode] ?? 'UNKNOWN');
    const why = output.signal
      ? `killed by ${output.signal}`
      : status === 'UNKNOWN' && output.exitCode !== 3
        ? `exit code ${String(output.exitCode)}`
        : '';
    const text = parsed.text || output.stderr.trim().split('\n')[0] || '(no output)';
    return {
      instance: command.name,
      metrics,
      verdict: { status, details: `${command.name}: ${text}${why ? ` (${why})` : ''}` },
    };
  } catch (error) {
    if (error instanceof CommandTimeoutError)
      return unknown(`${command.name}: timeout after ${command.timeout_seconds}s`);
    inFlight.delete(command.name);
    if (isNotFound(error)) return unknown(`${command.name}: cannot run "${command.argv[0] ?? ''}": not found`);
    return unknown(`${command.name}: cannot run "${command.argv[0] ?? ''}": ${(error as Error).message}`);
  }
}

/** Runs any program, Nagios plugins first of all, and reads it through the plugin API: exit code, text, perfdata. */
export const commandCheck = defineCheck({
  description:
    'Run programs (any Nagios/Monitoring plugin) without a shell; exit code 0-3 is the status, perfdata the metrics',
  categories: ['custom'],
  options,
  // The config writes the list directly: `checks: { command: [{ name, argv, timeout_seconds }] }`.
  configSchema: v.pipe(
    v.optional(v.array(commandEntry), []),
    v.check((list) => new Set(list.map((entry) => entry.name)).size === list.length, 'command names must be unique'),
    v.transform((commands) => ({ commands })),
  ),
  defaultTimeoutSeconds: ({ commands }) =>
    Math.max(1, ...commands.map((command) => command.timeout_seconds)) + KILL_GRACE_MS / 1000 + 1,
  metrics: [
    {
      name: '<label>',
      unit: 'count',
      help: "Each perfdata label of the plugin's output, in base units (seconds, bytes)",
    },
  ],
  mainMetric: '<label>',
  create: ({ commands }) => {
    const inFlight = new Set<string>();
    return async () => Promise.all(commands.map((command) => runPlugin(command, inFlight)));
  },
  summarize: (reading) => reading.verdict?.details ?? '',
});
