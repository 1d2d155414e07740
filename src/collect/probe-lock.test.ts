import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquireProbeLock } from './probe-lock.ts';

const lockFile = (dir: string): string => join(dir, readdirSync(dir)[0] ?? '');

test('acquireProbeLock() lets one probe per mount run, across processes, for as long as the probe lives', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-locks-'));
  const lock = acquireProbeLock(dir, '/mnt/nas');
  assert.notEqual(lock, 'held');
  if (lock === 'held') return;
  assert.equal(acquireProbeLock(dir, '/mnt/nas'), 'held', 'this process holds it');
  assert.notEqual(acquireProbeLock(dir, '/mnt/other'), 'held', 'each mount has its own');
  // The probe outlives us (stuck in the kernel): the lock records its PID, so later processes still see it held.
  const probe = spawn('sleep', ['30'], { stdio: 'ignore' });
  lock.holdFor(probe.pid ?? 0);
  assert.match(readFileSync(lockFile(dir), 'latin1'), new RegExp(`^${probe.pid} \\d+$`));
  assert.equal(acquireProbeLock(dir, '/mnt/nas'), 'held');
  probe.kill('SIGKILL');
  await new Promise((resolve) => probe.on('exit', resolve));
  // Once it is gone, the next probe takes the lock over.
  const next = acquireProbeLock(dir, '/mnt/nas');
  assert.notEqual(next, 'held');
  if (next !== 'held') next.release();
  lock.release();
});

test('acquireProbeLock() takes over a lock whose PID now belongs to another process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-locks-'));
  const first = acquireProbeLock(dir, '/mnt/nas');
  assert.notEqual(first, 'held');
  writeFileSync(lockFile(dir), '1 999999999');
  const second = acquireProbeLock(dir, '/mnt/nas');
  assert.notEqual(second, 'held', 'PID 1 did not start at that time: a reused PID is not the probe');
  if (second !== 'held') second.release();
  assert.deepEqual(readdirSync(dir), []);
});

test('ProbeLock.release() leaves a lock that another process has taken over since', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-locks-'));
  const lock = acquireProbeLock(dir, '/mnt/nas');
  assert.notEqual(lock, 'held');
  const other = spawn('sleep', ['30'], { stdio: 'ignore' });
  const stat = readFileSync(`/proc/${other.pid}/stat`, 'latin1');
  writeFileSync(lockFile(dir), `${other.pid} ${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`);
  if (lock !== 'held') lock.release();
  assert.equal(readdirSync(dir).length, 1);
  assert.equal(acquireProbeLock(dir, '/mnt/nas'), 'held');
  other.kill('SIGKILL');
  await new Promise((resolve) => other.on('exit', resolve));
});
