import { Command, CommanderError } from 'commander';
import { inspect } from 'node:util';
import {
  CannotWriteError,
  ConfigError,
  NoInputError,
  NoPermissionError,
  UnavailableError,
  UsageError,
  UserError,
} from '../errors.ts';
import { appendAudit, defaultAuditPath } from '../log/audit.ts';
import { VERSION } from '../version.ts';
import type { CommandContext, RegisterCommand } from './command-context.ts';
import { registerAgent } from './commands/agent.ts';
import { registerAlerts } from './commands/alerts.ts';
import { registerCheck } from './commands/check.ts';
import { registerChecks } from './commands/checks.ts';
import { registerCompletion } from './commands/completion.ts';
import { registerConfig } from './commands/config.ts';
import { registerReport } from './commands/report.ts';
import { registerRules } from './commands/rules.ts';
import { registerService } from './commands/service.ts';
import { registerStatus } from './commands/status.ts';
import { registerTop } from './commands/top.ts';
import { registerVersion } from './commands/version.ts';
import type { Io } from './io.ts';
import { mapErrorStacks } from './original-stack.ts';
import { stopAllCommands } from '../platform/run-command.ts';

/** sysexits.h codes: scripts can tell a typo from a broken config from a bug. */
export const EXIT = {
  ok: 0,
  usage: 64,
  noInput: 66,
  unavailable: 69,
  internal: 70,
  cannotWrite: 73,
  noPermission: 77,
  config: 78,
} as const;

const COMMANDS: RegisterCommand[] = [
  registerStatus,
  registerTop,
  registerAgent,
  registerCheck,
  registerChecks,
  registerConfig,
  registerAlerts,
  registerReport,
  registerRules,
  registerService,
  registerVersion,
  registerCompletion,
];

export function createProgram(context: CommandContext): Command {
  const program = new Command('argus')
    .description('Argus Monitor: host checks with thresholds, for the terminal, scripts and monitoring systems')
    .version(VERSION, '-V, --version', 'print the version')
    .showSuggestionAfterError(true)
    // Options after a command belong to it: `argus check ram --version` is the plugin's --version (exit 3).
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.stdout(text),
      writeErr: (text) => context.io.stderr(text),
      outputError: (text, write) => write(`argus: ${text.replace(/^error: /, '')}`),
    })
    .addHelpText(
      'after',
      "\nExit codes: 0 ok, 64 usage error, 66 no history to report on, 69 a service unavailable (a test notification not delivered, the agent's address taken), 70 internal error (a bug), 73 cannot write an output file, 77 not permitted (service install without root), 78 configuration error.\nRun `argus <command> --help` for a command's options and examples.\n",
    );
  for (const register of COMMANDS) register(program, context);
  return program;
}

/** Parses argv, runs the command and returns the exit code; the only place that prints errors. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = createProgram({ io, setExitCode: (code) => void (exitCode = code) });
  try {
    if (argv.length === 0) {
      io.stderr(program.helpInformation());
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  } finally {
    // Nothing Argus started outlives it, whichever way it leaves: plugins still running get SIGTERM, then SIGKILL.
    await stopAllCommands();
  }
}

/** The one place an error becomes text on stderr and an exit code. */
function reportError(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // Commander's own codes: 0 after --help/--version, 1 for a bad command line (our 64). A command that needs
    // another code for these (Nagios mode: 3) sets it in its exitOverride, and it stands.
    return error.exitCode === 0 ? EXIT.ok : error.exitCode === 1 ? EXIT.usage : error.exitCode;
  }
  if (error instanceof ConfigError) {
    io.stderr(
      `argus: ${error.message}\n${error.issues.map((issue) => `  ${issue}\n`).join('')}${error.hint && error.issues.length > 0 ? `  hint: ${error.hint}\n` : ''}`,
    );
    return EXIT.config;
  }
  if (error instanceof UserError) {
    io.stderr(`argus: ${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}\n`);
    if (error instanceof UsageError) return EXIT.usage;
    if (error instanceof NoInputError) return EXIT.noInput;
    if (error instanceof NoPermissionError) return EXIT.noPermission;
    if (error instanceof CannotWriteError) return EXIT.cannotWrite;
    return error instanceof UnavailableError ? EXIT.unavailable : EXIT.config;
  }
  mapErrorStacks(error);
  io.stderr(`argus: unexpected error; this is a bug, please report it with the text below\n${inspect(error)}\n`);
  appendAudit(defaultAuditPath(io.env), {
    event: 'internal_error',
    message: String((error as Error | undefined)?.message ?? error),
    stack: (error as Error | undefined)?.stack,
  });
  return EXIT.internal;
}
