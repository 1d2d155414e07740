// Node 20's --test does not expand globs and only finds .js tests by itself, so this lists the .ts tests for it.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

/**
 * The .test.ts files under a folder. Not readdirSync's `recursive`: it follows symlinks, and the sysfs fixtures
 * are symlinks that loop (a hwmon device links back to its parent), as on a real /sys.
 */
function testsUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testsUnder(path);
    return entry.isFile() && entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src', 'test'];
const files = roots.flatMap((root) => (root.endsWith('.ts') ? [root] : testsUnder(root))).sort();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
