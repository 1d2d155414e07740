import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export interface OutboxItem<T> {
  id: string;
  /** Unix seconds when it was queued; TTLs count from here. */
  enqueuedAt: number;
  payload: T;
}

export interface FileOutbox<T> {
  enqueue(payload: T, nowSeconds: number): void;
  /** The oldest item, or undefined when empty; an unreadable file is removed and counted. */
  oldest(): OutboxItem<T> | undefined;
  /** Removes an item once it is delivered or given up. */
  remove(id: string): void;
  readonly size: number;
  /** Items dropped because the outbox was full (oldest first) or a file was unreadable. */
  readonly dropped: number;
}

const NAME = /^(\d{16})\.json$/;

/**
 * A durable FIFO in a directory: one file per item, named by a growing sequence number, written to a temporary
 * name, fsynced and renamed, so a crash leaves either the whole item or none. Bounded by count and bytes; when
 * full the oldest items go first (failure-modes.md F4).
 */
export function openFileOutbox<T>(dir: string, limits: { maxItems: number; maxBytes: number }): FileOutbox<T> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const entries: { id: string; bytes: number }[] = readdirSync(dir)
    .filter((file) => NAME.test(file))
    .sort()
    .map((file) => ({ id: file.slice(0, 16), bytes: statSync(join(dir, file)).size }));
  for (const file of readdirSync(dir)) if (file.endsWith('.tmp')) rmSync(join(dir, file), { force: true });
  let sequence = entries.length > 0 ? Number(entries.at(-1)?.id) + 1 : 1;
  let bytes = entries.reduce((sum, entry) => sum + entry.bytes, 0);
  let dropped = 0;
  const pathOf = (id: string): string => join(dir, `${id}.json`);
  const removeAt = (index: number): void => {
    const [entry] = entries.splice(index, 1);
    if (!entry) return;
    bytes -= entry.bytes;
    rmSync(pathOf(entry.id), { force: true });
  };
  return {
    enqueue(payload, nowSeconds) {
      const id = String(sequence).padStart(16, '0');
      sequence += 1;
      const text = JSON.stringify({ id, enqueuedAt: nowSeconds, payload } satisfies OutboxItem<T>);
      const temporary = `${pathOf(id)}.tmp`;
      const fd = openSync(temporary, 'w', 0o600);
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, pathOf(id));
      entries.push({ id, bytes: Buffer.byteLength(text) });
      bytes += Buffer.byteLength(text);
      while (entries.length > limits.maxItems || (bytes > limits.maxBytes && entries.length > 1)) {
        removeAt(0);
        dropped += 1;
      }
    },
    oldest() {
      while (entries.length > 0) {
        const entry = entries[0];
        if (!entry) break;
        try {
          return JSON.parse(readFileSync(pathOf(entry.id), 'utf8')) as OutboxItem<T>;
        } catch {
          removeAt(0);
          dropped += 1;
        }
      }
      return undefined;
    },
    remove(id) {
      const index = entries.findIndex((entry) => entry.id === id);
      if (index >= 0) removeAt(index);
    },
    get size() {
      return entries.length;
    },
    get dropped() {
      return dropped;
    },
  };
}
