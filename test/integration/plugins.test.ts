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
