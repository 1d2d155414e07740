import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { isolatedEnv, runCli, startCli } from '../helpers/cli.ts';

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

/** Runs `status` as a loop until two cycles have printed, then stops it as a user would (Ctrl-C). */
async function runLoopBriefly(env: NodeJS.ProcessEnv): Promise<void> {
  const cli = startCli(['status', '-i', '0.2', '-o', 'json', '--checks', 'ram', '--no-history'], { env });
  await cli.waitForOutput((stdout) => stdout.split('\n').filter(Boolean).length >= 2);
  cli.child.kill('SIGINT');
  const run = await cli.finished;
  assert.equal(run.code, 0, run.stderr);
}

/** An isolated env with a cache dir of its own for bin/argus.cjs' vm.Script cache; skipped where Node keeps its own. */
function vmCacheEnv(t: TestContext): { env: NodeJS.ProcessEnv; dir: string } | undefined {
  if (typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function') {
    t.skip('Node 22.1+ keeps its own compile cache (module.enableCompileCache); bin/argus.cjs writes none');
    return undefined;
  }
  const env = isolatedEnv();
  env.XDG_CACHE_HOME = join(env.HOME ?? '', 'cache');
  return { env, dir: join(env.XDG_CACHE_HOME, 'argus', `compile-${process.version}`) };
}

/**
 * The inode of the one cache file whose name starts with prefix. A cache V8 rejected is written anew, under a
 * temporary name renamed over it: a new inode, so an unchanged inode means the cache was used.
 */
function cacheInode(dir: string, prefix: string): number {
  const files = readdirSync(dir).filter((file) => file.startsWith(prefix));
  assert.equal(files.length, 1, `one ${prefix}* cache: ${files.join(', ')}`);
  return statSync(join(dir, files[0] ?? '')).ino;
}

test('a loop writes its code cache before it changes V8 flags, so later runs, loop or not, start from it', async (t) => {
  const own = vmCacheEnv(t);
  if (!own) return;
  const { env, dir } = own;
  const statusCache = () => cacheInode(dir, 'status-');

  await runLoopBriefly(env);
  const written = statusCache();
  // V8 stamps a cache with its flags and rejects it under others: had the loop written it after setting its flags
  // (or at exit), the one-shot run, started with V8's defaults, would have thrown it away and written its own.
  const once = await runCli(['status', '--once', '-o', 'json', '--checks', 'ram'], { env });
  assert.equal(once.code, 0, once.stderr);
  assert.equal(statusCache(), written, '--once used the cache the loop wrote');
  await runLoopBriefly(env);
  assert.equal(statusCache(), written, 'so did the next loop');
});

test('the YAML parser, a file of its own, is cached beside the bundle; the parsed config survives cache upkeep', async (t) => {
  const own = vmCacheEnv(t);
  if (!own) return;
  const { env, dir } = own;
  const config = join(env.HOME ?? '', 'argus.yaml');
  writeFileSync(config, 'enabled_checks: [ram]\npoll_interval: 30s\n');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A code cache of an older build of the `config` command: upkeep removes it, and nothing else of ours.
  writeFileSync(join(dir, 'config-1-1.bin'), 'an older build');
  const first = await runCli(['config', 'check', '-c', config], { env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^poll_interval: 30$/m);
  const files = readdirSync(dir);
  const chunk = files.filter((file) => /^chunk-yaml-\d+-\d+\.bin$/.test(file));
  assert.equal(chunk.length, 1, `the YAML chunk's cache: ${files.join(', ')}`);
  assert.ok(!files.includes('config-1-1.bin'), "the older build's cache is gone");
  assert.equal(files.filter((file) => /^config-[0-9a-f]{8}\.json$/.test(file)).length, 1, 'the parsed config stays');
  const inode = cacheInode(dir, 'chunk-yaml-');
  const again = await runCli(['config', 'check', '-c', config], { env });
  assert.equal(again.stdout, first.stdout);
  assert.equal(cacheInode(dir, 'chunk-yaml-'), inode, 'the second run used the cache, not a new one');
});

test('a chunk first loaded after a loop set its V8 flags (a SIGHUP reload) leaves the cache made under the defaults alone', async (t) => {
  const own = vmCacheEnv(t);
  if (!own) return;
  const { env, dir } = own;
  const config = join(env.HOME ?? '', 'argus.yaml');
  writeFileSync(config, 'enabled_checks: [ram]\npoll_interval: 0.2\noutput_format: json\n');
  // A one-shot run parses the file and caches the YAML chunk under V8's defaults (and the parsed config).
  assert.equal((await runCli(['config', 'check', '-c', config], { env })).code, 0);
  const chunkCache = () => cacheInode(dir, 'chunk-yaml-');

  const before = chunkCache();
  // The loop finds the parsed config cached, so it loads the YAML chunk only when a reload parses the edited file.
  const cli = startCli(['status', '-c', config, '--no-history'], { env });
  await cli.waitForOutput((stdout) => stdout.includes('"ram"'));
  writeFileSync(config, 'enabled_checks: [ram]\npoll_interval: 0.3\noutput_format: json\n');
  cli.child.kill('SIGHUP');
  await cli.waitForOutput((_, stderr) => stderr.includes('config reloaded'));
  cli.child.kill('SIGINT');
  const run = await cli.finished;
  assert.equal(run.code, 0, run.stderr);
  assert.equal(chunkCache(), before, 'not overwritten with a cache that carries the loop flags');
  assert.equal((await runCli(['config', 'check', '-c', config], { env })).code, 0);
  assert.equal(chunkCache(), before, 'and the next one-shot run still uses it');
});
