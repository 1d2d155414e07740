import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findMarked, processMarkerPrefix } from './process-marker.ts';
import { CommandTimeoutError, runCommand, stopAllCommands } from './run-command.ts';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

async function waitForFile(path: string): Promise<number> {
  for (let tries = 0; tries < 200 && !existsSync(path); tries += 1) await new Promise((r) => setTimeout(r, 10));
  for (let tries = 0; tries < 200; tries += 1) {
    const text = readFileSync(path, 'utf8');
    if (text.endsWith('\n')) return Number(text);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no pid in ${path}`);
}

// The attack battery's plugin: `( setsid sleep 100 & )` kept the pipes open, so the check waited for it, reported
// "previous run is still running" every cycle, and the sleep was never killed.
test('runCommand() answers when the program exits and stops a setsid() grandchild that holds its pipes', async () => {
  let exited!: () => void;
  const allGone = new Promise<void>((resolve) => (exited = resolve));
  const started = Date.now();
  const output = await runCommand(['sh', '-c', 'setsid sleep 100 & echo $!; echo OK - fine'], {
    timeoutMs: 10_000,
    killGraceMs: 500,
    onExit: () => exited(),
  });
  assert.ok(Date.now() - started < 5000, 'did not wait for the grandchild');
  const [pid, text] = output.stdout.trim().split('\n');
  assert.equal(text, 'OK - fine');
  assert.equal(output.exitCode, 0);
  await allGone;
  assert.ok(!isAlive(Number(pid)), `the grandchild ${String(pid)} is gone`);
});

test('runCommand() stops a double-forked daemon that closed its output, once the program has exited', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-daemon-'));
  let exited!: () => void;
  const allGone = new Promise<void>((resolve) => (exited = resolve));
  const script = `(setsid sh -c 'echo $$ > ${dir}/pid; exec sleep 100' </dev/null >/dev/null 2>&1 &); while [ ! -s ${dir}/pid ]; do sleep 0.01; done`;
  await runCommand(['sh', '-c', script], { timeoutMs: 10_000, killGraceMs: 500, onExit: () => exited() });
  const pid = await waitForFile(join(dir, 'pid'));
  await allGone;
  assert.ok(!isAlive(pid), `the daemon ${pid} is gone`);
});

test('runCommand() times out, then SIGKILLs after the grace what ignores SIGTERM, grandchildren included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-stubborn-'));
  let exited!: () => void;
  const allGone = new Promise<void>((resolve) => (exited = resolve));
  const script = `trap "" TERM; setsid sh -c 'trap "" TERM; echo $$ > ${dir}/pid; sleep 100' & sleep 100`;
  await assert.rejects(
    runCommand(['sh', '-c', script], { timeoutMs: 300, killGraceMs: 300, onExit: () => exited() }),
    CommandTimeoutError,
  );
  const pid = await waitForFile(join(dir, 'pid'));
  await allGone;
  assert.ok(!isAlive(pid));
});

test('stopAllCommands() stops every program still running, and what they started', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-stop-'));
  const running = runCommand(['sh', '-c', `trap "" TERM; setsid sh -c 'echo $$ > ${dir}/pid; sleep 100' & wait`], {
    timeoutMs: 60_000,
    killGraceMs: 300,
  });
  const pid = await waitForFile(join(dir, 'pid'));
  await stopAllCommands();
  assert.ok(!isAlive(pid));
  assert.deepEqual(findMarked(processMarkerPrefix(), { prefix: true }), []);
  const output = await running;
  assert.equal(output.signal, 'SIGKILL', 'the shell ignored SIGTERM');
});
