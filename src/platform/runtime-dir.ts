import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A directory for this user's short-lived shared state (locks that several Argus processes honour):
 * $XDG_RUNTIME_DIR/argus, else <tmp>/argus-<uid>. Made 0700 and used only if this user owns it and nobody else
 * can write to it, since another user could otherwise plant a lock; undefined when no such directory can be had.
 */
export function privateRuntimeDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'argus') : join(tmpdir(), `argus-${uid ?? 'user'}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stats = statSync(dir);
    const mine = uid === undefined || stats.uid === uid;
    return mine && stats.isDirectory() && (stats.mode & 0o022) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}
