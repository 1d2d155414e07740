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

test('argus status --once -o json --processes N adds the top N processes by CPU, and refuses it with the table', async () => {
  const run = await runCli(['status', '--once', '-o', 'json', '--checks', 'ram', '--no-history', '--processes', '3']);
  assert.equal(run.code, 0, run.stderr);
  const document = JSON.parse(run.stdout) as {
    processes: { pid: number; cpu_percent: number | null; command: string }[];
  };
  assert.equal(document.processes.length, 3);
  for (const entry of document.processes) {
    assert.ok(Number.isInteger(entry.pid));
    assert.equal(typeof entry.cpu_percent, 'number', 'measured over the run, not null');
  }
  const refused = await runCli(['status', '--once', '--processes', '3']);
  assert.equal(refused.code, 64);
  assert.match(refused.stderr, /--processes goes with -o json/);
});
