import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { startCli } from '../helpers/cli.ts';

// The attack battery's soak: with every CPU saturated, 59 of 543 cycles came 2-4 ms after the one before. The
// fake-clock tests in schedule.test.ts pin the rule; this runs the built loop beside real CPU hogs. Its bound is
// loose on purpose (a quarter of the interval, where doubled cycles were 1-2 % of it), so load cannot make it fail.
test('the status loop never runs two cycles back to back while every CPU is saturated', async () => {
  const hogs = Array.from({ length: availableParallelism() * 2 }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  try {
    const cli = startCli(['status', '-i', '0.2', '-o', 'json', '--checks', 'cpu,ram', '--no-history']);
    await cli.waitForOutput((stdout) => stdout.split('\n').length > 20, 30_000);
    cli.child.kill('SIGTERM');
    const run = await cli.finished;
    assert.equal(run.code, 0, run.stderr);
    const times = run.stdout
      .trim()
      .split('\n')
      .map((line) => Date.parse((JSON.parse(line) as { timestamp: string }).timestamp));
    const gaps = times.slice(1).map((time, index) => time - (times[index] ?? 0));
    assert.ok(Math.min(...gaps) >= 50, `gaps between cycles (ms): ${gaps.join(' ')}`);
  } finally {
    for (const hog of hogs) hog.kill('SIGKILL');
  }
});
