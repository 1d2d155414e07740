import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isolatedEnv, REPO, runCli } from '../helpers/cli.ts';

test('the built argus loads the example plugin, cached or not, without warnings on stderr', async () => {
  const env = isolatedEnv();
  const dir = env.HOME ?? '';
  mkdirSync(join(dir, 'spool'));
  writeFileSync(join(dir, 'spool', 'job-1'), 'x');
  writeFileSync(
    join(dir, 'argus.yaml'),
    `plugins: [${join(REPO, 'examples', 'spool-queue.mjs')}]\nenabled_checks: [spool_queue]\nchecks:\n  spool_queue: { directories: [${join(dir, 'spool')}] }\n`,
  );
  for (const extra of [{}, {}, { ARGUS_NO_COMPILE_CACHE: '1' }]) {
    const run = await runCli(['status', '--once', '-o', 'json', '-c', join(dir, 'argus.yaml')], {
      env: { ...env, ...extra },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const [result] = (JSON.parse(run.stdout) as { results: { name: string; metrics: Record<string, number> }[] })
      .results;
    assert.deepEqual([result?.name, result?.metrics.files], ['spool_queue', 1]);
  }
});

test('the built argus validates plugin options with the valibot it hands plugins: defaults, ranges, unknown and missing keys', async () => {
  // The bundle validates with its own (tree-shaken) valibot; the plugin builds its schema with the package's.
  const env = isolatedEnv();
  const dir = env.HOME ?? '';
  const config = join(dir, 'argus.yaml');
  const plugin = join(REPO, 'examples', 'spool-queue.mjs');
  writeFileSync(
    config,
    `plugins: [${plugin}]\nenabled_checks: [spool_queue]\nchecks:\n  spool_queue: { directory: [${dir}], max_files: 0 }\n`,
  );
  const bad = await runCli(['config', 'check', '-c', config], { env });
  assert.equal(bad.code, 78, bad.stderr);
  assert.match(bad.stderr, /:4:\d+: checks\.spool_queue\.directories: required key "directories" is missing\n/);
  assert.match(
    bad.stderr,
    /:4:\d+: checks\.spool_queue\.directory: unknown key "directory"; did you mean "directories"\?\n/,
  );
  assert.match(bad.stderr, /:4:\d+: checks\.spool_queue\.max_files: Invalid value: Expected >=1 but received 0\n/);
  writeFileSync(
    config,
    `plugins: [${plugin}]\nenabled_checks: [spool_queue]\nchecks:\n  spool_queue: { directories: [${dir}] }\n`,
  );
  const good = await runCli(['config', 'check', '-c', config], { env });
  assert.equal(good.code, 0, good.stderr);
  assert.match(
    good.stdout,
    /spool_queue:\n {4}directories:\n {6}- .*\n {4}max_files: 100000\n/,
    'the default filled in',
  );
});
