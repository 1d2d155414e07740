import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILT_CLI, isolatedEnv, runCli } from '../helpers/cli.ts';

test('a bug in the minified bundle is reported with source files, lines and names, on stderr and in the audit log', async () => {
  const env = isolatedEnv();
  // A stdout that fails with something other than EPIPE is, to Argus, a bug: the one way to make one from outside.
  const preload = join(env.HOME ?? '', 'explode.cjs');
  writeFileSync(
    preload,
    `const fs = require('node:fs');
const real = fs.writeSync;
fs.writeSync = (fd, ...rest) => {
  if (fd === 1) throw new TypeError('stdout exploded');
  return real(fd, ...rest);
};`,
  );
  const run = await runCli(['version'], { env, command: [process.execPath, '-r', preload, BUILT_CLI] });
  assert.equal(run.code, 70, run.stderr);
  assert.match(
    run.stderr,
    /^argus: unexpected error; this is a bug, please report it with the text below\nTypeError: stdout exploded\n/,
  );
  const frames = run.stderr.split('\n').filter((line) => line.startsWith('    at '));
  assert.ok(
    frames.some((line) => /^ {4}at Object\.write \[as stdout\] \(src\/cli\/io\.ts:\d+:\d+\)$/.test(line)),
    `a frame in src/cli/io.ts:\n${run.stderr}`,
  );
  assert.ok(
    frames.some((line) => / \(src\/cli\/commands\/version\.ts:\d+:\d+\)$/.test(line)),
    `a frame in the version command:\n${run.stderr}`,
  );
  assert.ok(!frames.some((line) => line.includes('dist/argus.cjs')), `no frame left in the bundle:\n${run.stderr}`);
  const audit = readFileSync(join(env.XDG_STATE_HOME ?? '', 'argus', 'audit.log'), 'utf8');
  const record = JSON.parse(audit.trim().split('\n').at(-1) ?? '') as { event: string; stack: string };
  assert.equal(record.event, 'internal_error');
  assert.match(record.stack, /\(src\/cli\/io\.ts:\d+:\d+\)/);
});
