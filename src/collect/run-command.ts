import { spawn, type ChildProcess } from 'node:child_process';

export interface CommandOutput {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCommandOptions {
  timeoutMs: number;
  /** Output past this many bytes per stream is dropped, so a chatty tool cannot grow our heap. */
  maxOutputBytes?: number;
  env?: NodeJS.ProcessEnv;
  /** Called once the child has really exited, even if run() gave up on it long before (a process stuck in D state). */
  onExit?: () => void;
  /** After the deadline the group gets SIGTERM, then SIGKILL this much later (Telegraf's exec does the same). */
  killGraceMs?: number;
  /** Written to the child's stdin, which is then closed; without it stdin is /dev/null. */
  input?: string;
}

/**
 * What a program we start sees of the environment: a fixed PATH and the C locale (plugins then print "1.5", not
 * "1,5"), plus what the config names. Nothing of Argus' own environment (tokens, HOME) is passed on.
 */
export const minimalEnvironment = (extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv => ({
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C',
  LC_ALL: 'C',
  ...extra,
});

export class CommandTimeoutError extends Error {
  override name = 'CommandTimeoutError';
}

/** Whether the error says the program does not exist (so the caller can treat the tool as absent). */
export const isNotFound = (error: unknown): boolean => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/**
 * Runs argv without a shell in its own process group. On timeout the whole group gets SIGKILL, since
 * execFile's timeout only signals the direct child and grandchildren keep the pipes open (nodejs/node#2098).
 */
export function runCommand(argv: readonly string[], options: RunCommandOptions): Promise<CommandOutput> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new TypeError('runCommand() needs a program to run'));
  const cap = options.maxOutputBytes ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    // stdout and stderr are always pipes here, so the streams exist.
    const child = spawn(file, args, {
      detached: true,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    }) as ChildProcess & { stdout: NonNullable<ChildProcess['stdout']>; stderr: NonNullable<ChildProcess['stderr']> };
    const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const sizes = { stdout: 0, stderr: 0 };
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (sizes[stream] >= cap) return;
      chunks[stream].push(chunk.subarray(0, cap - sizes[stream]));
      sizes[stream] += chunk.length;
    };
    if (options.input !== undefined && child.stdin) {
      // A program that exits without reading its input must not crash us with EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      killGroup(child.pid, options.killGraceMs === undefined ? 'SIGKILL' : 'SIGTERM');
      if (options.killGraceMs !== undefined)
        setTimeout(() => killGroup(child.pid, 'SIGKILL'), options.killGraceMs).unref();
      reject(new CommandTimeoutError(`"${file}" did not finish within ${options.timeoutMs / 1000}s`));
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      if (!settled) reject(error);
      settled = true;
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      options.onExit?.();
      if (settled) return;
      settled = true;
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(chunks.stdout).toString('utf8'),
        stderr: Buffer.concat(chunks.stderr).toString('utf8'),
      });
    });
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
