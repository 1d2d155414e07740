import type { FsStats } from './host.ts';
import { CommandTimeoutError, runCommand } from '../platform/run-command.ts';
import { acquireProbeLock } from './probe-lock.ts';

export type ProbeAnswer =
  { kind: 'stats'; stats: FsStats } | { kind: 'timeout' } | { kind: 'stuck' } | { kind: 'busy' };

export interface MountProbeOptions {
  /** The longest a probe may take; each call may ask for less (what is left of its check's deadline). */
  timeoutMs: number;
  /** Probes allowed at once across all mounts, so a dead NFS server cannot fork-bomb the host. */
  maxOutstanding: number;
  /** The statfs program; coreutils' stat starts in about 1 ms, a Node helper would take 40. */
  command?: readonly string[];
  /** Where the per-mount locks shared with other Argus processes live; asked on the first probe. */
  lockDir?: () => string | undefined;
}

// %S is the fundamental block size, the unit of %b/%f/%a (statfs(2) f_frsize).
const FORMAT = '%b %f %a %S %c %d';

export function parseStatOutput(text: string, mountPoint: string): FsStats {
  const values = text.trim().split(/\s+/).map(Number);
  const [blocks, free, available, blockSize, inodes, freeInodes] = values;
  if (values.length !== 6 || values.some((value) => !Number.isFinite(value)) || blockSize === undefined) {
    throw new SyntaxError(`Cannot parse statfs output for "${mountPoint}": "${text.trim().slice(0, 100)}"`);
  }
  return {
    totalBytes: (blocks ?? 0) * blockSize,
    freeBytes: (free ?? 0) * blockSize,
    availableBytes: (available ?? 0) * blockSize,
    totalInodes: inodes ?? 0,
    freeInodes: freeInodes ?? 0,
  };
}

/**
 * Probes file systems whose statfs can hang in the kernel from a child process, because a hung statfs on
 * Node's thread pool would stall every other file operation (node_exporter #244). A mount whose probe has
 * not exited yet, in this process or any other Argus process of this user, is reported stuck and gets no second
 * probe: a probe stuck in the kernel cannot be killed, so each new one would stay forever beside it.
 */
export function createMountProbe(options: MountProbeOptions) {
  const inFlight = new Set<string>();
  const command = options.command ?? ['stat'];
  let lockDir: string | undefined | null = null;
  return async (mountPoint: string, timeoutMs = options.timeoutMs): Promise<ProbeAnswer> => {
    if (inFlight.has(mountPoint)) return { kind: 'stuck' };
    if (inFlight.size >= options.maxOutstanding) return { kind: 'busy' };
    if (lockDir === null) lockDir = options.lockDir?.();
    const lock = lockDir === undefined ? undefined : acquireProbeLock(lockDir, mountPoint);
    if (lock === 'held') return { kind: 'stuck' };
    inFlight.add(mountPoint);
    const release = (): void => {
      inFlight.delete(mountPoint);
      lock?.release();
    };
    try {
      const output = await runCommand([...command, '-f', '-c', FORMAT, '--', mountPoint], {
        timeoutMs: Math.min(timeoutMs, options.timeoutMs),
        maxOutputBytes: 4096,
        onSpawn: (pid) => lock?.holdFor(pid),
        onExit: release,
      });
      if (output.exitCode !== 0) {
        throw new Error(
          `Cannot statfs "${mountPoint}": ${output.stderr.trim().split('\n')[0] ?? `exit ${String(output.exitCode)}`}`,
        );
      }
      return { kind: 'stats', stats: parseStatOutput(output.stdout, mountPoint) };
    } catch (error) {
      if (error instanceof CommandTimeoutError) return { kind: 'timeout' };
      release();
      throw error;
    }
  };
}
