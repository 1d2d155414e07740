// Stages the npm package in build/package: the files a user needs (package.json "files") and a manifest without
// what only development uses. `npm ci` in a clone runs `prepare` (husky, build); in the published manifest npm 11
// would list that script as one to approve at every global install, though it never runs there.
//   node scripts/package.mjs               stage only (release.yml then runs `npm publish build/package`)
//   node scripts/package.mjs --pack        stage and `npm pack` it into the current directory
//   node scripts/package.mjs --out DIR     stage in DIR instead (tests, which run side by side)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv.indexOf('--out');
const stage = out > 0 ? process.argv[out + 1] : join(root, 'build', 'package');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
for (const entry of manifest.files) cpSync(join(root, entry), join(stage, entry), { recursive: true });
const keep = ['name', 'version', 'description', 'license', 'type', 'bin', 'files', 'engines', 'keywords'];
const published = Object.fromEntries(keep.filter((key) => key in manifest).map((key) => [key, manifest[key]]));
Object.assign(published, {
  dependencies: manifest.dependencies,
  optionalDependencies: manifest.optionalDependencies,
});
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);

if (process.argv.includes('--pack')) {
  const packed = spawnSync('npm', ['pack', stage], { stdio: 'inherit' });
  process.exitCode = packed.status ?? 1;
}
