import { closeSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultStateDir } from '../platform/xdg-dirs.ts';
import { redactSecrets } from './redact.ts';

export type AuditEvent =
  | { event: 'config_load'; path: string | null; sha256: string | null; ok: boolean; problems?: number }
  | { event: 'config_reload'; path: string | null; sha256: string | null; ok: boolean; problems?: number }
  | { event: 'internal_error'; message: string; stack: string | undefined }
  | { event: 'alert'; kind: string; key: string; status: string; previous: string }
  | { event: 'alert_delivery'; notifier: string; alert: string; kind: string; outcome: string; reason?: string }
  | { event: 'history_corrupt'; path: string; moved_to: string };

export const defaultAuditPath = (env: NodeJS.ProcessEnv): string => join(defaultStateDir(env), 'audit.log');

/** Past this size the audit log moves to audit.log.1 (one generation kept): `argus check` from cron adds a line a run. */
export const AUDIT_MAX_BYTES = 10 * 1024 * 1024;

/** Appends one JSON line per event; returns the error instead of throwing, because auditing must not stop monitoring. */
export function appendAudit(
  path: string,
  record: AuditEvent,
  now: Date = new Date(),
  maxBytes = AUDIT_MAX_BYTES,
): Error | undefined {
  try {
    const line = `${JSON.stringify({ time: now.toISOString(), pid: process.pid, ...(redactSecrets(record) as object) })}\n`;
    // Open first and create the directory only when missing: every one-shot `argus` run writes one record.
    let fd = openAppend(path);
    if (fstatSync(fd).size > maxBytes) {
      closeSync(fd);
      renameSync(path, `${path}.1`);
      fd = openAppend(path);
    }
    try {
      writeSync(fd, line);
    } finally {
      closeSync(fd);
    }
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

function openAppend(path: string): number {
  try {
    return openSync(path, 'a', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    return openSync(path, 'a', 0o600);
  }
}
