import { openSync, readFileSync, unlinkSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A lock per mount point across Argus processes, holding the PID (and start time) of the probe running for it. A
 * probe stuck in the kernel on a hung mount cannot be killed, so each process that met the mount used to leave
 * one more behind (every `argus check disk` from Nagios, every restart); now the next ones see the probe alive and
 * wait for it.
 */
export interface ProbeLock {
  /** Records the probe's PID, so that the lock outlives this process while the probe does. */
  holdFor(pid: number): void;
  release(): void;
}

// FNV-1a of the mount point: a short, fixed-length file name for any path.
function lockName(mountPoint: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < mountPoint.length; index += 1)
    hash = Math.imul(hash ^ mountPoint.charCodeAt(index), 0x01000193) >>> 0;
  return `probe-${hash.toString(16).padStart(8, '0')}.lock`;
}

/** "PID STARTTIME": the start time tells a reused PID from the process that took the lock. */
function identityOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return `${pid} ${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? ''}`;
  } catch {
    return undefined;
  }
}

const isHeldBy = (content: string): boolean => {
  const pid = Number(content.split(' ')[0]);
  return Number.isInteger(pid) && pid > 0 && identityOf(pid) === content.trim();
};

/** The lock for a mount, or 'held' while a live probe (of any Argus process) has it. */
export function acquireProbeLock(dir: string, mountPoint: string): ProbeLock | 'held' {
  const path = join(dir, lockName(mountPoint));
  let mine = identityOf(process.pid) ?? String(process.pid);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, mine);
      } finally {
        closeSync(fd);
      }
      return {
        holdFor(pid) {
          mine = identityOf(pid) ?? mine;
          writeFileSync(path, mine);
        },
        release() {
          try {
            if (readFileSync(path, 'latin1') === mine) unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        return { holdFor: () => undefined, release: () => undefined };
    }
    let content: string;
    try {
      content = readFileSync(path, 'latin1');
    } catch {
      continue; // released meanwhile: try again
    }
    if (isHeldBy(content)) return 'held';
    // The probe that held it is gone (the hung mount answered in the end, or the host rebooted): take it over.
    try {
      unlinkSync(path);
    } catch {
      // someone else took it over first; the next attempt tells
    }
  }
  return 'held';
}
