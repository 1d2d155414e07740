import * as v from 'valibot';
import { argvSchema, environmentSchema } from '../schema/os-values.ts';
import { CommandTimeoutError, minimalEnvironment, runCommand } from '../platform/run-command.ts';
import { DURATION_LIMITS, durationSchema } from '../schema/duration.ts';
import { defineNotifier, DeliveryError, type Notification } from './notifier.ts';

/** The alert as environment variables, for scripts that would rather not parse JSON. NUL cannot travel in env. */
export function alertEnvironment(notification: Notification): Record<string, string> {
  const clean = (value: string): string => value.replace(/\0/g, '');
  return {
    ARGUS_KIND: notification.kind,
    ARGUS_ALERT: clean(notification.alert),
    ARGUS_CHECK: clean(notification.check),
    ARGUS_INSTANCE: clean(notification.instance ?? ''),
    ARGUS_STATUS: notification.status,
    ARGUS_PREVIOUS_STATUS: notification.previous_status,
    ARGUS_DETAILS: clean(notification.details),
    ARGUS_HOST: clean(notification.host),
    ARGUS_STARTS_AT: notification.starts_at,
    ARGUS_AT: notification.at,
    ARGUS_IDEMPOTENCY_KEY: notification.idempotency_key,
  };
}

export const commandNotifier = defineNotifier({
  description:
    'Run a program with the alert as JSON on stdin and as ARGUS_* environment variables, never through a shell',
  options: v.strictObject({
    argv: v.pipe(argvSchema, v.description('Program and arguments')),
    timeout_seconds: v.pipe(
      v.optional(durationSchema(DURATION_LIMITS.timeout), 10),
      v.description('Then the program and all it started get SIGTERM, and SIGKILL 2 s later'),
    ),
    env: v.pipe(v.optional(environmentSchema, {}), v.description('Extra environment variables')),
  }),
  create: (options) => ({
    async send(notification) {
      let output;
      try {
        output = await runCommand(options.argv, {
          timeoutMs: options.timeout_seconds * 1000,
          killGraceMs: 2000,
          maxOutputBytes: 16 * 1024,
          input: `${JSON.stringify(notification)}\n`,
          env: minimalEnvironment({ ...options.env, ...alertEnvironment(notification) }),
        });
      } catch (error) {
        const reason =
          error instanceof CommandTimeoutError
            ? `timed out after ${options.timeout_seconds}s`
            : (error as Error).message;
        throw new DeliveryError(`Command "${options.argv[0] ?? ''}" ${reason}`, { retryable: true, cause: error });
      }
      if (output.exitCode !== 0) {
        const said = output.stderr.trim().split('\n')[0] ?? '';
        throw new DeliveryError(
          `Command "${options.argv[0] ?? ''}" exited ${String(output.exitCode ?? output.signal)}${said ? `: ${said.slice(0, 200)}` : ''}`,
          { retryable: true },
        );
      }
    },
  }),
});
