import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** The kernel's clock discipline, as adjtimex(2) reports it with `modes` 0 (read only). */
export interface Timex {
  /** adjtimex's return value: the clock state, 5 (TIME_ERROR) when it is not synchronized. */
  state: number;
  offset: number;
  freq: number;
  maxerror: number;
  esterror: number;
  status: number;
  constant: number;
  precision: number;
  tolerance: number;
  tick: number;
  ppsfreq: number;
  jitter: number;
  shift: number;
  stabil: number;
  jitcnt: number;
  calcnt: number;
  errcnt: number;
  stbcnt: number;
  tai: number;
}

/** The adjtimex system call's number where `struct timex` has the 64-bit layout the helper unpacks. */
const SYSCALL: Readonly<Partial<Record<NodeJS.Architecture, number>>> = { x64: 159, arm64: 171 };

/**
 * Node cannot make a system call of its own, and adjtimex(2) has no file in /proc or /sys. Perl can (`syscall`),
 * and perl-base is part of every Debian and Ubuntu system (Essential: yes). One perl process is started on the
 * first read and kept: each read is a line on its stdin and a line back (≈ 0.1 ms), not a process per scrape. It
 * exits when its stdin closes, so it cannot outlive Argus. The unpack follows `struct timex` on 64-bit Linux:
 * modes (int, padded), offset, freq, maxerror, esterror, status (int, padded), constant, precision, tolerance,
 * time (2 longs), tick, ppsfreq, jitter, shift (int, padded), stabil, jitcnt, calcnt, errcnt, stbcnt, tai.
 */
const HELPER = String.raw`$| = 1; my $n = shift; while (<STDIN>) { my $b = "\0" x 208; my $r = syscall($n, $b); if ($r < 0) { print "E $!\n"; next } my @v = unpack("L x4 q4 l x4 q8 l x4 q5 l", $b); splice(@v, 9, 2); shift @v; print join(" ", $r, @v), "\n" }`;

const FIELDS = [
  'state',
  'offset',
  'freq',
  'maxerror',
  'esterror',
  'status',
  'constant',
  'precision',
  'tolerance',
  'tick',
  'ppsfreq',
  'jitter',
  'shift',
  'stabil',
  'jitcnt',
  'calcnt',
  'errcnt',
  'stbcnt',
  'tai',
] as const satisfies readonly (keyof Timex)[];

/** One answer of the helper: the return value and the fields, space-separated; "E <reason>" when it failed. */
export function parseTimexLine(line: string): Timex {
  if (line.startsWith('E ')) throw new Error(`adjtimex failed: ${line.slice(2)}`);
  const values = line.trim().split(' ').map(Number);
  if (values.length !== FIELDS.length || values.some((value) => !Number.isInteger(value)))
    throw new Error(`unexpected adjtimex answer: "${line.slice(0, 100)}"`);
  return Object.fromEntries(FIELDS.map((field, index) => [field, values[index]])) as unknown as Timex;
}

export interface AdjtimexReader {
  /** The clock's state now; throws when it cannot be read here (no perl, another architecture, a timeout). */
  read(): Promise<Timex>;
  close(): void;
}

/** After a failure the helper is not started again for this long: a host without perl is asked once a minute. */
const RETRY_AFTER_MS = 60_000;

export function createAdjtimexReader(
  options: { timeoutMs?: number; command?: string; arch?: NodeJS.Architecture; nowMs?: () => number } = {},
): AdjtimexReader {
  const timeoutMs = options.timeoutMs ?? 1000;
  const nowMs = options.nowMs ?? Date.now;
  const number = SYSCALL[options.arch ?? process.arch];
  let helper: ChildProcessWithoutNullStreams | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;
  let failure = '';
  let buffered = '';
  let waiting: ((line: string | Error) => void) | undefined;

  const stop = (): void => {
    helper?.kill();
    helper = undefined;
    buffered = '';
  };
  const fail = (reason: string): Error => {
    stop();
    failedAt = nowMs();
    failure = reason;
    return new Error(reason);
  };

  const start = (): ChildProcessWithoutNullStreams => {
    const child = spawn(options.command ?? 'perl', ['-e', HELPER, String(number)], { stdio: 'pipe' });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      const answer = waiting;
      waiting = undefined;
      answer?.(line);
    });
    const gone = (reason: string) => () => {
      if (helper !== child) return;
      const answer = waiting;
      waiting = undefined;
      answer?.(fail(reason));
    };
    child.on('error', (error) => gone(`cannot run perl for adjtimex: ${error.message}`)());
    child.on('exit', gone('the adjtimex helper exited'));
    child.stdin.on('error', () => undefined); // EPIPE after it died: 'exit' says so
    // Neither the helper nor its pipes keep Argus alive; it exits on its own when its stdin closes. The pipes are
    // sockets (net.Socket), which can be unref'd; the stream types do not say so.
    child.unref();
    child.stderr.resume();
    for (const pipe of [child.stdin, child.stdout, child.stderr]) (pipe as unknown as { unref(): void }).unref();
    return child;
  };

  return {
    read() {
      if (number === undefined)
        return Promise.reject(new Error(`adjtimex is read on x64 and arm64 only (this is ${process.arch})`));
      if (!helper && nowMs() - failedAt < RETRY_AFTER_MS) return Promise.reject(new Error(failure));
      if (waiting) return Promise.reject(new Error('a read of adjtimex is already waiting'));
      helper ??= start();
      const child = helper;
      return new Promise<Timex>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting = undefined;
          reject(fail(`the adjtimex helper did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting = (line) => {
          clearTimeout(timer);
          if (line instanceof Error) reject(line);
          else
            try {
              resolve(parseTimexLine(line));
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
        };
        child.stdin.write('\n');
      });
    },
    close: stop,
  };
}
