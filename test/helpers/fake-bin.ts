import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes shell scripts into a fresh directory (to put first on PATH) and returns it. */
export function fakeBin(scripts: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'argus-bin-'));
  for (const [name, body] of Object.entries(scripts)) {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
  }
  return dir;
}

/** A fake nvidia-smi that prints a recorded fixture, optionally with an exit code. */
export const nvidiaSmiPrinting = (fixture: string, exitCode = 0): string => `cat '${fixture}'\nexit ${exitCode}`;
