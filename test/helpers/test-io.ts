import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../../src/cli/io.ts';
import type { ShutdownSignal } from '../../src/engine/process-io.ts';

export interface TestIo extends Io {
  out: string[];
  err: string[];
  emit(signal: ShutdownSignal): void;
}

/** An Io whose home, config and state dirs are a fresh temp dir, so tests never touch the real ones. */
export function createTestIo(overrides: { env?: NodeJS.ProcessEnv; cwd?: string; tty?: boolean } = {}): TestIo {
  const home = mkdtempSync(join(tmpdir(), 'argus-home-'));
  const handlers = new Map<ShutdownSignal, Set<() => void>>();
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_STATE_HOME: join(home, '.state'), ...overrides.env },
    cwd: overrides.cwd ?? home,
    stdoutIsTTY: overrides.tty ?? false,
    columns: 100,
    streamStdout: () => undefined,
    onSignal(signal, handler) {
      const set = handlers.get(signal) ?? new Set();
      set.add(handler);
      handlers.set(signal, set);
      return () => void set.delete(handler);
    },
    emit(signal) {
      for (const handler of handlers.get(signal) ?? []) handler();
    },
  };
}
