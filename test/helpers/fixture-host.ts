import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHost, type FsStats, type Host } from '../../src/collect/host.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** A Host that reads snapshot N of a recorded scenario; statfs answers from the scenario's statfs.json. */
export function fixtureHost(scenario: string, snapshot = 0): Host {
  const root = join(FIXTURES, 'hosts', scenario);
  const numberedSys = join(root, `sys${snapshot}`);
  const host = createHost({
    procRoot: join(root, `proc${snapshot}`),
    sysRoot: existsSync(numberedSys) ? numberedSys : join(root, 'sys'),
    // A scenario with its own etc/ (passwd for process owners) is its rootfs; others read nothing from there.
    ...(existsSync(join(root, 'etc')) ? { rootfs: root } : {}),
  });
  const statfsFile = join(root, 'statfs.json');
  const table = existsSync(statfsFile) ? (JSON.parse(readFileSync(statfsFile, 'utf8')) as Record<string, FsStats>) : {};
  return {
    ...host,
    statfs: (mountPoint) => {
      const stats = table[mountPoint];
      if (!stats)
        throw Object.assign(new Error(`ENOENT: no such file or directory, statfs '${mountPoint}'`), { code: 'ENOENT' });
      return stats;
    },
  };
}

/** A monotonic clock that moves only when told to. */
export function manualClock(startMs = 1000) {
  let now = startMs;
  return {
    monotonicMs: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}
