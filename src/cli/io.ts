export type ShutdownSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** Everything a command touches outside itself; tests pass a fake, bin/argus.ts passes the process. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdoutIsTTY: boolean;
  columns: number;
  /** Subscribes to a signal; returns the unsubscribe function. */
  onSignal(signal: ShutdownSignal, handler: () => void): () => void;
}

export function createNodeIo(): Io {
  // `argus status -o json | head -1`: when the reader hangs up, stop quietly as other Unix tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns ?? 100,
    onSignal: (signal, handler) => {
      process.on(signal, handler);
      return () => void process.off(signal, handler);
    },
  };
}

/** Colour only for people: a terminal, and neither NO_COLOR nor TERM=dumb (no-color.org). FORCE_COLOR overrides. */
export const wantsColor = (io: Io): boolean =>
  io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0'
    ? true
    : io.stdoutIsTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
