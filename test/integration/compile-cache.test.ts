import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isolatedEnv, runCli } from '../helpers/cli.ts';

test('bin/argus.cjs keeps a private code cache and survives a corrupt one', async () => {
  const env = isolatedEnv();
  env.XDG_CACHE_HOME = join(env.HOME ?? '', 'cache');
  const first = await runCli(['version', '--json'], { env });
  assert.equal(first.code, 0, first.stderr);
  const dir = join(env.XDG_CACHE_HOME, 'argus', `compile-${process.version}`);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const files = readdirSync(dir);
  assert.ok(files.length >= 1, 'a cache file was written');
  for (const file of files) writeFileSync(join(dir, file), 'not a V8 code cache');
  writeFileSync(join(dir, 'version-1-1.bin'), 'a cache of an older build');
  const again = await runCli(['version', '--json'], { env });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, first.stdout);
  assert.deepEqual(
    readdirSync(dir).filter((file) => file.startsWith('version-')).length,
    1,
    "the older build's cache is removed",
  );
});

test('bin/argus.cjs runs without a cache when asked to, or when the cache dir is not private', async () => {
  const env = isolatedEnv({ ARGUS_NO_COMPILE_CACHE: '1' });
  env.XDG_CACHE_HOME = join(env.HOME ?? '', 'cache');
  const run = await runCli(['version'], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.throws(() => statSync(join(env.XDG_CACHE_HOME ?? '', 'argus')));
  const shared = isolatedEnv();
  shared.XDG_CACHE_HOME = join(shared.HOME ?? '', 'cache');
  const dir = join(shared.XDG_CACHE_HOME, 'argus', `compile-${process.version}`);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  const open = await runCli(['version'], { env: shared });
  assert.equal(open.code, 0, open.stderr);
  assert.deepEqual(readdirSync(dir), [], 'nothing is cached in a directory others can write');
});
