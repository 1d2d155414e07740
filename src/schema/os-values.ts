import * as v from 'valibot';

// Strings the config hands to the kernel: paths, argv, environment. Node refuses one holding a NUL byte with a
// TypeError deep inside fs or child_process, which would reach the user as a bug (exit 70) instead of a config
// error with its line.
const noNul = v.check((text: string) => !text.includes('\u0000'), 'cannot hold a NUL character');

/** A file or directory path. */
export const pathSchema = v.pipe(
  v.string(),
  v.check((text) => text.trim() !== '', 'must be a path (got an empty string)'),
  noNul,
);

/** A path that does not depend on where Argus was started. */
export const absolutePathSchema = v.pipe(
  pathSchema,
  v.check((text) => text.startsWith('/'), 'must be an absolute path (starting with "/")'),
);

/** A program and its arguments, run without a shell. */
export const argvSchema = v.pipe(
  v.array(v.pipe(v.string(), noNul)),
  v.minLength(1, 'needs the program to run'),
  v.check((argv) => (argv[0] ?? '').trim() !== '', 'the program (the first item) cannot be empty'),
);

/** Extra environment variables for a program we start. */
export const environmentSchema = v.record(
  v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name: letters, digits and _')),
  v.pipe(v.string(), noNul),
);
