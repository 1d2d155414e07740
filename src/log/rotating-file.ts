import { closeSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotatingFile {
  write(line: string): void;
  /** Lines lost to a full disk or an unwritable file since start. */
  readonly dropped: number;
  close(): void;
}

/**
 * Appends lines and rotates by size (file → file.1 → … → file.N). O_APPEND keeps logrotate's
 * copytruncate safe. Writes are synchronous because log lines are few and must survive a crash.
 */
export interface RotatingFileOptions {
  maxBytes: number;
  maxFiles: number;
  /** Written first in every new file (a CSV header), so each rotated file stands on its own. */
  header?: string;
  mode?: number;
}

export function openRotatingFile(path: string, options: RotatingFileOptions): RotatingFile {
  mkdirSync(dirname(path), { recursive: true });
  const mode = options.mode ?? 0o640;
  let fd = openSync(path, 'a', mode);
  let size = fstatSync(fd).size;
  const writeHeader = (): void => {
    if (size > 0 || !options.header) return;
    writeSync(fd, options.header);
    size += Buffer.byteLength(options.header);
  };
  writeHeader();
  let dropped = 0;
  let closed = false;
  const rotate = (): void => {
    closeSync(fd);
    for (let index = options.maxFiles - 1; index >= 1; index -= 1) {
      try {
        renameSync(`${path}.${index}`, `${path}.${index + 1}`);
      } catch {
        // That generation does not exist yet.
      }
    }
    renameSync(path, `${path}.1`);
    fd = openSync(path, 'a', mode);
    size = 0;
    writeHeader();
  };
  return {
    write(line) {
      // After close the fd number may belong to someone else: never write through it.
      if (closed) {
        dropped += 1;
        return;
      }
      const bytes = Buffer.byteLength(line);
      try {
        if (size > Buffer.byteLength(options.header ?? '') && size + bytes > options.maxBytes) rotate();
        writeSync(fd, line);
        size += bytes;
      } catch {
        dropped += 1; // ENOSPC and friends: logging must never stop monitoring.
      }
    },
    get dropped() {
      return dropped;
    },
    close() {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}
