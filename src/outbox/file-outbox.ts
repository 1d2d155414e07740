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
  /** weight: what the item counts against maxItems (the points of a batch); 1 by default. */
  enqueue(payload: T, nowSeconds: number, weight?: number): void;
  /** The oldest item, or undefined when empty; an unreadable file is removed and counted. */
  oldest(): OutboxItem<T> | undefined;
  /** The oldest items, in order, up to maxWeight in all (at least one when any is queued). */
  oldestUpTo(maxWeight: number): (OutboxItem<T> & { weight: number })[];
  /** Removes an item once it is delivered or given up. */
  remove(id: string): void;
  readonly size: number;
  /** Items dropped because the outbox was full (oldest first) or a file was unreadable. */
  readonly dropped: number;
  /** Their weight (points, for a batch outbox). */
  readonly droppedWeight: number;
  /** Queued weight in all. */
  readonly weight: number;
}

// The weight is in the name, so opening a large outbox after a restart reads no file.
const NAME = /^(\d{16})(?:-(\d+))?\.json$/;

/**
 * A durable FIFO in a directory: one file per item, named by a growing sequence number, written to a temporary
 * name, fsynced and renamed, so a crash leaves either the whole item or none. Bounded by count and bytes; when
 * full the oldest items go first (failure-modes.md F4).
 */
export function openFileOutbox<T>(dir: string, limits: { maxItems: number; maxBytes: number }): FileOutbox<T> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const entries: { id: string; file: string; bytes: number; weight: number }[] = readdirSync(dir)
    .filter((file) => NAME.test(file))
    .sort()
    .map((file) => ({
      id: file.slice(0, 16),
      file,
      bytes: statSync(join(dir, file)).size,
      weight: Number(NAME.exec(file)?.[2] ?? 1),
    }));
  for (const file of readdirSync(dir)) if (file.endsWith('.tmp')) rmSync(join(dir, file), { force: true });
  let sequence = entries.length > 0 ? Number(entries.at(-1)?.id) + 1 : 1;
  let bytes = entries.reduce((sum, entry) => sum + entry.bytes, 0);
  let weight = entries.reduce((sum, entry) => sum + entry.weight, 0);
  let dropped = 0;
  let droppedWeight = 0;
  const removeAt = (index: number): void => {
    const [entry] = entries.splice(index, 1);
    if (!entry) return;
    bytes -= entry.bytes;
    weight -= entry.weight;
    rmSync(join(dir, entry.file), { force: true });
  };
  const dropOldest = (): void => {
    droppedWeight += entries[0]?.weight ?? 0;
    dropped += 1;
    removeAt(0);
  };
  const read = (entry: { file: string }): OutboxItem<T> =>
    JSON.parse(readFileSync(join(dir, entry.file), 'utf8')) as OutboxItem<T>;
  return {
    enqueue(payload, nowSeconds, itemWeight = 1) {
      const id = String(sequence).padStart(16, '0');
      sequence += 1;
      const file = itemWeight === 1 ? `${id}.json` : `${id}-${itemWeight}.json`;
      const text = JSON.stringify({ id, enqueuedAt: nowSeconds, payload } satisfies OutboxItem<T>);
      const temporary = join(dir, `${file}.tmp`);
      const fd = openSync(temporary, 'w', 0o600);
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, join(dir, file));
      entries.push({ id, file, bytes: Buffer.byteLength(text), weight: itemWeight });
      bytes += Buffer.byteLength(text);
      weight += itemWeight;
      while ((weight > limits.maxItems || bytes > limits.maxBytes) && entries.length > 1) dropOldest();
    },
    oldest() {
      while (entries.length > 0) {
        const entry = entries[0];
        if (!entry) break;
        try {
          return read(entry);
        } catch {
          dropOldest();
        }
      }
      return undefined;
    },
    oldestUpTo(maxWeight) {
      const items: (OutboxItem<T> & { weight: number })[] = [];
      let total = 0;
      for (let index = 0; index < entries.length;) {
        const entry = entries[index];
        if (!entry || (items.length > 0 && total + entry.weight > maxWeight)) break;
        try {
          items.push({ ...read(entry), weight: entry.weight });
          total += entry.weight;
          index += 1;
        } catch {
          // An unreadable file is dropped where it stands; the entry after it moves into its place.
          droppedWeight += entry.weight;
          dropped += 1;
          removeAt(index);
        }
      }
      return items;
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
    get droppedWeight() {
      return droppedWeight;
    },
    get weight() {
      return weight;
    },
  };
}
