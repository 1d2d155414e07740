import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';

test('argus check procs counts a process it did not start, as check_procs -a does, and goes CRITICAL without it', async () => {
  const marker = `3600.${process.pid}`;
  const sleeper = spawn('sleep', [marker], { stdio: 'ignore' });
  try {
    const running = await runCli(['check', 'procs', '-a', `^sleep ${marker.replace('.', '\\.')}$`, '-c', '1:']);
    assert.equal(running.code, 0, running.stdout);
    assert.match(running.stdout, /^PROCS OK - 1 process, 1 thread, .* RSS \| 'selected'=1;;1: /);
    const byName = await runCli(['check', 'procs', '-C', 'sleep', '-u', String(process.getuid?.() ?? 0), '-c', '1:']);
    assert.equal(byName.code, 0, byName.stdout);
  } finally {
    sleeper.kill();
    await once(sleeper, 'exit');
  }
  const gone = await runCli(['check', 'procs', '-a', `^sleep ${marker.replace('.', '\\.')}$`, '-c', '1:']);
  assert.equal(gone.code, 2, gone.stdout);
  assert.match(gone.stdout, /^PROCS CRITICAL - 0 processes \[CRIT count=0 \(outside 1:\)\]/);
  const misuse = await runCli(['check', 'cpu', '-s', 'Z']);
  assert.equal(misuse.code, 3);
  assert.match(misuse.stdout, /apply to the procs check only/);
});
