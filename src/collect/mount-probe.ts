import type { FsStats } from './host.ts';
import { CommandTimeoutError, runCommand } from '../platform/run-command.ts';

export type ProbeAnswer =
  { kind: 'stats'; stats: FsStats } | { kind: 'timeout' } | { kind: 'stuck' } | { kind: 'busy' };

export interface MountProbeOptions {
  timeoutMs: number;
  /** Probes allowed at once across all mounts, so a dead NFS server cannot fork-bomb the host. */
  maxOutstanding: number;
  /** The statfs program; coreutils' stat starts in about 1 ms, a Node helper would take 40. */
  command?: readonly string[];
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
 * not exited yet is reported stuck and gets no second probe.
 */
export function createMountProbe(options: MountProbeOptions) {
  const inFlight = new Set<string>();
  const command = options.command ?? ['stat'];
  return async (mountPoint: string): Promise<ProbeAnswer> => {
    if (inFlight.has(mountPoint)) return { kind: 'stuck' };
    if (inFlight.size >= options.maxOutstanding) return { kind: 'busy' };
    inFlight.add(mountPoint);
    const release = (): void => {
      inFlight.delete(mountPoint);
    };
    try {
      const output = await runCommand([...command, '-f', '-c', FORMAT, '--', mountPoint], {
        timeoutMs: options.timeoutMs,
        maxOutputBytes: 4096,
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
