import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { createOptimizingCompiler } from './optimizing-compiler.ts';
import { OPTIMIZING_COMPILER_FLAGS } from './v8-flags.ts';

/**
 * A compiler switch on a fake clock and a fake event loop: `request(waitMs)` is a request whose turn comes after
 * waitMs (what the requests before it in the same turn took); `wait` moves the clock on.
 */
function onFakes() {
  let now = 0;
  const turnEnds: (() => void)[] = [];
  const applied: (readonly string[])[] = [];
  const reasons: string[] = [];
  const compiler = createOptimizingCompiler({
    queuedMs: 10,
    queuedRequests: 3,
    windowMs: 2000,
    nowMs: () => now,
    afterTurn: (then) => turnEnds.push(then),
    apply: (flags) => applied.push(flags),
    onEnable: (reason) => reasons.push(reason),
  });
  return {
    compiler,
    applied,
    reasons,
    measures: () => turnEnds.length,
    /** A turn of the event loop that handles `requests` requests, each taking msEach. */
    turn(requests: number, msEach: number) {
      for (let index = 0; index < requests; index += 1) compiler.tick();
      now += requests * msEach;
      for (const then of turnEnds.splice(0)) then();
    },
    wait(ms: number) {
      now += ms;
    },
  };
}

test('the optimizing compiler starts off and stays off for a few clients, even scraping flat out', () => {
  const fake = onFakes();
  assert.deepEqual(fake.applied, [OPTIMIZING_COMPILER_FLAGS.off]);
  // An hour of a Prometheus every 15 s, then a minute of 8 connections at 8,000 scrapes a second (0.12 ms each).
  for (let scrape = 0; scrape < 240; scrape += 1) {
    fake.wait(15_000);
    fake.turn(1, 2);
  }
  for (let turn = 0; turn < 60_000; turn += 1) fake.turn(8, 0.12);
  assert.equal(fake.compiler.enabled, false);
  assert.deepEqual(fake.reasons, []);
});

test('one measurement per turn, however many requests the turn brings', () => {
  const fake = onFakes();
  for (let index = 0; index < 200; index += 1) fake.compiler.tick();
  assert.equal(fake.measures(), 1);
});

test('requests queued past 10 ms three times within 2 s switch it on, once and for good', () => {
  const fake = onFakes();
  fake.turn(200, 0.12); // 24 ms
  fake.wait(3000);
  fake.turn(200, 0.12);
  fake.wait(3000);
  fake.turn(200, 0.12);
  assert.equal(fake.compiler.enabled, false, 'three long turns, but never three within 2 s');
  fake.turn(200, 0.12);
  fake.turn(200, 0.12);
  assert.equal(fake.compiler.enabled, true);
  assert.deepEqual(fake.reasons, ['3 requests in 2 s waited for their turn, the last 24 ms']);
  assert.deepEqual(fake.applied, [OPTIMIZING_COMPILER_FLAGS.off, OPTIMIZING_COMPILER_FLAGS.on]);
  fake.turn(200, 0.12);
  assert.equal(fake.measures(), 0, 'nothing is measured once it is on');
  assert.equal(fake.reasons.length, 1);
});

test('enable() switches it on at once and says why; calls after the first change nothing', () => {
  const fake = onFakes();
  fake.compiler.enable('the bcrypt thread started');
  fake.compiler.enable('charts were asked for');
  assert.equal(fake.compiler.enabled, true);
  assert.deepEqual(fake.reasons, ['the bcrypt thread started']);
  assert.deepEqual(fake.applied, [OPTIMIZING_COMPILER_FLAGS.off, OPTIMIZING_COMPILER_FLAGS.on]);
});

test('with the real flags, V8 optimizes nothing until the switch is on, then does, also after a worker starts', () => {
  // In a child: V8's flags are process-wide. A function asked to be optimized on its next call either is or not.
  const script = `
    import { setFlagsFromString } from 'node:v8';
    import { Worker } from 'node:worker_threads';
    import { createOptimizingCompiler } from ${JSON.stringify(new URL('./optimizing-compiler.ts', import.meta.url).href)};
    setFlagsFromString('--allow-natives-syntax');
    const optimizedWhenAsked = () => {
      const natives = new Function('f', \`
        %PrepareFunctionForOptimization(f); f([1, 2]); f([1, 2]); %OptimizeFunctionOnNextCall(f); f([1, 2]);
        return %GetOptimizationStatus(f);
      \`);
      const sum = (values) => { let total = 0; for (const value of values) total += value * 2; return total; };
      return (natives(sum) & 16) !== 0;
    };
    const before = optimizedWhenAsked();
    const compiler = createOptimizingCompiler({ queuedMs: 10, queuedRequests: 3, windowMs: 2000 });
    const off = optimizedWhenAsked();
    compiler.enable('test');
    const on = optimizedWhenAsked();
    // A worker's start resets V8's flags (Node 20): to the command line's, where the compiler is on.
    const worker = new Worker('setTimeout(() => {}, 50)', { eval: true });
    await new Promise((resolve) => worker.once('online', resolve));
    console.log(JSON.stringify({ before, off, on, afterWorker: optimizedWhenAsked() }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '--import tsx' },
  });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { before: true, off: false, on: true, afterWorker: true });
});
