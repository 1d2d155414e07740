import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';

/** Set by bin/argus.cjs to a directory it has checked is private to this user; absent when running from source. */
const CACHE_DIR_KEY = Symbol.for('argus.cacheDir');
export const privateCacheDir = (): string | undefined =>
  (globalThis as Record<symbol, unknown>)[CACHE_DIR_KEY] as string | undefined;

export interface CachedConfig {
  sha256: string;
  value: unknown;
}

interface Entry extends CachedConfig {
  version: 1;
  path: string;
  identity: string;
}

// Size, times and inode change whenever the file does; the hash of the content is stored, not recomputed.
const identityOf = (stats: Stats): string => `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;

// FNV-1a of the path: a short file name without loading node:crypto, which costs more than the lookup saves.
function fileNameFor(path: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < path.length; index += 1)
    hash = Math.imul(hash ^ path.charCodeAt(index), 0x01000193) >>> 0;
  return `config-${hash.toString(16).padStart(8, '0')}.json`;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** The parsed value of a config file that has not changed since it last parsed cleanly, or undefined. */
export function readParsedCache(path: string, stats: Stats): CachedConfig | undefined {
  const dir = privateCacheDir();
  if (!dir) return undefined;
  try {
    const entry = JSON.parse(readFileSync(join(dir, fileNameFor(path)), 'utf8'), (key, value: unknown) => {
      if (FORBIDDEN.has(key)) throw new SyntaxError('forbidden key in cache');
      return value;
    }) as Entry;
    return entry.version === 1 && entry.path === path && entry.identity === identityOf(stats)
      ? { sha256: entry.sha256, value: entry.value }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Entries kept: a host has a config or two; tests, benches and `-c /tmp/…` would otherwise add one each, forever. */
export const MAX_PARSED_CACHE_ENTRIES = 16;

export function writeParsedCache(path: string, stats: Stats, parsed: CachedConfig): void {
  const dir = privateCacheDir();
  if (!dir) return;
  const entry: Entry = { version: 1, path, identity: identityOf(stats), ...parsed };
  const target = join(dir, fileNameFor(path));
  try {
    writeFileSync(`${target}.${process.pid}`, JSON.stringify(entry), { mode: 0o600 });
    renameSync(`${target}.${process.pid}`, target);
    pruneParsedCache(dir, target);
  } catch {
    // Only speed is lost.
  }
}

/**
 * Runs only after a write, i.e. after a parse, never on a run that hits the cache. Over the bound, entries whose
 * config file is gone go first, then the oldest written; a dropped entry only costs its file one more parse.
 */
function pruneParsedCache(dir: string, keep: string): void {
  const names = readdirSync(dir).filter((name) => /^config-[0-9a-f]{8}\.json$/.test(name));
  if (names.length <= MAX_PARSED_CACHE_ENTRIES) return;
  const entries = names
    .map((name) => join(dir, name))
    .filter((file) => file !== keep)
    .map((file) => {
      let source: unknown;
      try {
        source = (JSON.parse(readFileSync(file, 'utf8')) as Partial<Entry>).path;
      } catch {
        source = undefined; // unreadable: as good as gone
      }
      return { file, gone: typeof source !== 'string' || !existsSync(source), writtenMs: statSync(file).mtimeMs };
    })
    .sort((a, b) => Number(b.gone) - Number(a.gone) || a.writtenMs - b.writtenMs);
  for (const { file } of entries.slice(0, names.length - MAX_PARSED_CACHE_ENTRIES)) rmSync(file, { force: true });
}
