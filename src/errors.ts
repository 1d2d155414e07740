/** Base of every error Argus raises on purpose; anything else reaching the CLI boundary is a bug. */
export class ArgusError extends Error {
  override name = 'ArgusError';
}

/** A problem the user can fix: printed as one line plus an optional hint, never with a stack. */
export class UserError extends ArgusError {
  override name = 'UserError';
  readonly hint: string | undefined;
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.hint = options?.hint;
  }
}

/** A command line that does not parse (exit 64, EX_USAGE). */
export class UsageError extends UserError {
  override name = 'UsageError';
}

/** Input the command needs is missing or empty, e.g. no history yet for `argus report` (exit 66, EX_NOINPUT). */
export class NoInputError extends UserError {
  override name = 'NoInputError';
}

/** Something outside Argus that a command needs is not there now, e.g. the agent's port is taken (exit 69, EX_UNAVAILABLE). */
export class UnavailableError extends UserError {
  override name = 'UnavailableError';
}

/** An output file cannot be created or written, e.g. `report --html` into a folder that does not exist (exit 73, EX_CANTCREAT). */
export class CannotWriteError extends UserError {
  override name = 'CannotWriteError';
}

/** The command needs privileges this process lacks, e.g. root to install a system service (exit 77, EX_NOPERM). */
export class NoPermissionError extends UserError {
  override name = 'NoPermissionError';
}

/** An invalid configuration: every problem at once, each as `file:line:col: dot.path: message` (exit 78). */
export class ConfigError extends UserError {
  override name = 'ConfigError';
  readonly issues: readonly string[];
  /** The file that failed, when there was one, for the audit log. */
  readonly file: string | undefined;
  readonly sha256: string | undefined;
  constructor(message: string, issues: readonly string[], options?: { hint?: string; file?: string; sha256?: string }) {
    super(message, options);
    this.issues = issues;
    this.file = options?.file;
    this.sha256 = options?.sha256;
  }
}

/** The host lacks what a check needs (no GPU, no sensors); the check reports UNKNOWN with this message. */
export class CheckUnavailableError extends ArgusError {
  override name = 'CheckUnavailableError';
}

/** A check ran past its deadline. */
export class CheckTimeoutError extends ArgusError {
  override name = 'CheckTimeoutError';
}

/** The error's class and message only: stacks belong in the debug log, not in a status line. */
export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
