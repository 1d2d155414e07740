// Node 20's --test does not expand globs and only finds .js tests by itself, so this lists the .ts tests for it.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src', 'test'];
const files = roots
  .flatMap((root) =>
    root.endsWith('.ts') ? [root] : readdirSync(root, { recursive: true }).map((file) => `${root}/${file}`),
  )
  .filter((file) => file.endsWith('.test.ts') && !file.includes('/fixtures/'))
  .sort();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
