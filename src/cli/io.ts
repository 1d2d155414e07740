import { writeSync } from 'node:fs';
import type { ProcessIo } from '../engine/process-io.ts';

/** Everything a command touches outside itself; tests pass a fake, bin/argus.ts passes the process. */
export interface Io extends ProcessIo {
  stdout(text: string): void;
  readonly stdoutIsTTY: boolean;
  readonly columns: number;
  /** From now on stdout and stderr must not block (a loop that runs for hours): writes queue behind a slow reader. */
  streamStdout(): void;
}

/**
 * stdout as one-shot commands use it. Creating `process.stdout` loads Node's stream modules and `tty` or `net`
 * (2.5 ms for a file, 4.5 ms for a pipe: a tenth of what `status --once` costs on top of Node's own start), so text
 * goes straight to the descriptor until something needs the stream: a terminal's size, a write the descriptor
 * refuses (a non-blocking pipe that is full), or a loop, which must never block on a slow reader (`streamStdout`).
 */
export function createStdout(
  fd = 1,
  getStream = (): NodeJS.WriteStream => process.stdout,
  exit = (code: number): void => process.exit(code),
  // A Windows console takes text through WriteConsoleW, which only the stream uses: bytes written to fd 1 would be
  // read in the console's code page.
  direct = process.platform !== 'win32',
) {
  let stream: NodeJS.WriteStream | undefined;
  const onError = (error: NodeJS.ErrnoException): void => {
    // `argus status -o json | head -1`: when the reader hangs up, stop quietly as other Unix tools do.
    if (error.code !== 'EPIPE') throw error;
    exit(0);
  };
  const streamed = (): NodeJS.WriteStream => {
    if (!stream) {
      stream = getStream();
      stream.on('error', onError);
    }
    return stream;
  };
  const write = (text: string): void => {
    if (stream || !direct) {
      streamed().write(text);
      return;
    }
    const bytes = Buffer.from(text);
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return onError(error as NodeJS.ErrnoException);
      streamed().write(bytes.subarray(written));
    }
  };
  /** Settles once what went to the stream has reached the descriptor: process.exit() would drop it (nodejs/node#6456). */
  const drained = (): Promise<void> =>
    !stream || stream.writableLength === 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          stream?.once('drain', resolve);
          stream?.once('close', resolve);
        });
  return { write, streamed, drained };
}

export function createNodeIo(): Io & { flush(timeoutMs: number): Promise<void> } {
  const stdout = createStdout();
  // stderr the same way: a pipe's stream writes asynchronously, and 20,000 config problems piped to `less` were cut
  // at 64 KiB when the process exited.
  const stderr = createStdout(2, () => process.stderr);
  return {
    stdout: stdout.write,
    stderr: stderr.write,
    env: process.env,
    cwd: process.cwd(),
    get stdoutIsTTY() {
      return stdout.streamed().isTTY === true;
    },
    get columns() {
      return stdout.streamed().columns ?? 100;
    },
    streamStdout: () => {
      stdout.streamed();
      stderr.streamed();
    },
    /** Waits for both streams to drain, at most timeoutMs: a reader that stopped reading must not keep us alive. */
    flush: async (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs).unref()));
      await Promise.race([Promise.all([stdout.drained(), stderr.drained()]), late]);
      clearTimeout(timer);
    },
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
