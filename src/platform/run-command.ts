import { spawn, type ChildProcess } from 'node:child_process';
import { findMarked, MARKER_VARIABLE, newMarker, processMarkerPrefix, signalEach } from './process-marker.ts';

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
  /**
   * Called once the program and everything it started are gone, even if run() gave up on it long before (a process
   * stuck in D state).
   */
  onExit?: () => void;
  /**
   * After the deadline the processes get SIGTERM, then SIGKILL this much later (Telegraf's exec does the same);
   * without it, SIGKILL at once (a tool with nothing to clean up: stat, nvidia-smi).
   */
  killGraceMs?: number;
  /** Called with the program's PID once it runs (the mount probe's cross-process lock records it). */
  onSpawn?: (pid: number) => void;
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

/** How long the pipes may stay open after the program exited: long enough to drain what it wrote. */
const LINGER_MS = 50;
const POLL_MS = 50;

/** One program run and whatever it started, until all of it is gone. */
interface ProcessTree {
  readonly pid: number;
  readonly marker: string;
  /** The program itself has exited (its descendants may not have). */
  exited: boolean;
  /** SIGTERM, SIGKILL after its grace; settles once nothing of the tree is left, or 200 ms after the SIGKILL. */
  stop(): Promise<void>;
  /** Settles once nothing of the tree is left. */
  readonly gone: Promise<void>;
}

/**
 * Every tree this process started that may still have processes, so that every way out of Argus (the loop, the
 * agent, a one-shot run, `argus check`) can stop them: the process table is process-wide, so this list is too.
 */
const liveTrees = new Set<ProcessTree>();

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function signalTree(tree: ProcessTree, signal: NodeJS.Signals): void {
  // The process group while the program lives (its group id is its PID only as long as it exists), then
  // everything carrying its marker: children that called setsid() or double-forked left the group.
  if (!tree.exited) {
    try {
      process.kill(-tree.pid, signal);
    } catch {
      // the group is gone
    }
  }
  signalEach(findMarked(tree.marker, { sincePid: tree.pid }), signal);
}

function trackTree(
  child: ChildProcess & { pid: number },
  { marker, graceMs, onExit }: { marker: string; graceMs: number; onExit: (() => void) | undefined },
) {
  let markGone!: () => void;
  const gone = new Promise<void>((resolve) => (markGone = resolve));
  let stopping: Promise<void> | undefined;
  const leftovers = (): number[] => findMarked(marker, { sincePid: child.pid });
  const tree: ProcessTree = {
    pid: child.pid,
    marker,
    exited: false,
    gone,
    stop: () =>
      (stopping ??= (async () => {
        if (graceMs > 0) signalTree(tree, 'SIGTERM');
        const deadline = Date.now() + graceMs;
        while (Date.now() < deadline && (!tree.exited || leftovers().length > 0)) await sleep(POLL_MS);
        if (!tree.exited || leftovers().length > 0) signalTree(tree, 'SIGKILL');
        // A process in D state dies only when its system call returns; nobody waits for that.
        for (let tries = 0; tries < 4 && (!tree.exited || leftovers().length > 0); tries += 1) await sleep(POLL_MS);
        if (tree.exited && leftovers().length === 0) finish();
      })()),
  };
  const finish = (): void => {
    if (!liveTrees.delete(tree)) return;
    markGone();
    onExit?.();
  };
  liveTrees.add(tree);
  /** Once the program has exited, whatever it left running is stopped: a plugin may not leave processes behind. */
  const reap = (): void => {
    if (leftovers().length === 0) return finish();
    void tree.stop().then(() => finish());
  };
  return { tree, reap };
}

/**
 * Runs argv without a shell in a session of its own. On timeout, and when it exits leaving processes behind, the
 * group and every process carrying its marker get SIGTERM, then SIGKILL after the grace: execFile's timeout only
 * signals the direct child, and grandchildren keep the pipes open (nodejs/node#2098) or escape with setsid().
 */
export function runCommand(argv: readonly string[], options: RunCommandOptions): Promise<CommandOutput> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new TypeError('runCommand() needs a program to run'));
  const cap = options.maxOutputBytes ?? 1024 * 1024;
  const graceMs = options.killGraceMs ?? 0;
  const marker = newMarker();
  return new Promise((resolve, reject) => {
    // stdout and stderr are always pipes here, so the streams exist.
    const child = spawn(file, args, {
      detached: true,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...(options.env ?? process.env), [MARKER_VARIABLE]: marker },
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
    if (child.pid === undefined) {
      // spawn() failed (ENOENT, EACCES): 'error' follows, and there is no process to track.
      child.on('error', (error) => reject(error));
      return;
    }
    const { tree, reap } = trackTree(child as ChildProcess & { pid: number }, {
      marker,
      graceMs,
      onExit: options.onExit,
    });
    options.onSpawn?.(child.pid);
    const timer = setTimeout(() => {
      settled = true;
      void tree.stop();
      reject(new CommandTimeoutError(`"${file}" did not finish within ${options.timeoutMs / 1000}s`));
    }, options.timeoutMs);
    let lingering: NodeJS.Timeout | undefined;
    let closed = false;
    const done = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      clearTimeout(lingering);
      child.stdout.destroy();
      child.stderr.destroy();
      reap();
      if (settled) return;
      settled = true;
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(chunks.stdout).toString('utf8'),
        stderr: Buffer.concat(chunks.stderr).toString('utf8'),
      });
    };
    child.on('exit', (exitCode, signal) => {
      tree.exited = true;
      // 'close' follows once the pipes are drained; a descendant holding them open would keep it from ever coming.
      lingering = setTimeout(() => done(exitCode, signal), LINGER_MS);
    });
    child.on('close', (exitCode, signal) => done(exitCode, signal));
  });
}

/**
 * Stops every program still running (and what it started): SIGTERM, then SIGKILL after each one's grace. Called on
 * every way out of Argus, so that nothing it started outlives it. A process stuck in the kernel (D state) dies
 * only when its system call returns; it is sent SIGKILL and not waited for.
 */
export async function stopAllCommands(): Promise<void> {
  const trees = [...liveTrees];
  if (trees.length === 0) return;
  await Promise.all(trees.map((tree) => tree.stop()));
  // Anything of ours left (a tree that could not be told apart by its start): one last SIGKILL by prefix.
  signalEach(findMarked(processMarkerPrefix(), { prefix: true }), 'SIGKILL');
}
