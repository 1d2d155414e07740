import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { createOptimizingCompiler } from './optimizing-compiler.ts';
import { OPTIMIZING_COMPILER_FLAGS } from './v8-flags.ts';

/** A compiler switch on a fake clock and a fake busy counter; `spend` adds busy time, `wait` moves the clock. */
function onFakes(budgetMs = 250, halfLifeMs = 5000) {
  let busy = 0;
  let now = 0;
  const applied: (readonly string[])[] = [];
  const reasons: string[] = [];
  const compiler = createOptimizingCompiler({
    budgetMs,
    halfLifeMs,
    busyMs: () => busy,
    nowMs: () => now,
    apply: (flags) => applied.push(flags),
    onEnable: (reason) => reasons.push(reason),
  });
  return {
    compiler,
    applied,
    reasons,
    spend(ms: number) {
      busy += ms;
      compiler.tick();
    },
    wait(ms: number) {
      now += ms;
      compiler.tick();
    },
  };
}

test('the optimizing compiler starts off and stays off for an agent scraped every 15 s', () => {
  const fake = onFakes();
  assert.deepEqual(fake.applied, [OPTIMIZING_COMPILER_FLAGS.off]);
  // An hour of 15 s cycles and scrapes of a few ms each, and one slow cycle of 200 ms.
  for (let cycle = 0; cycle < 240; cycle += 1) {
    fake.wait(15_000);
    fake.spend(cycle === 100 ? 200 : 4);
  }
  assert.equal(fake.compiler.enabled, false);
  assert.deepEqual(fake.reasons, []);
});

test('busy time past the budget switches it on once, for good; older busy time counts for less', () => {
  const fake = onFakes();
  fake.spend(200);
  fake.wait(5000); // half of it is forgotten: 100
  fake.spend(140);
  assert.equal(fake.compiler.enabled, false, '240 ms is within the budget');
  fake.spend(20);
  assert.equal(fake.compiler.enabled, true);
  assert.deepEqual(fake.reasons, ['the main thread was busy 260 ms in the last few seconds']);
  assert.deepEqual(fake.applied, [OPTIMIZING_COMPILER_FLAGS.off, OPTIMIZING_COMPILER_FLAGS.on]);
  fake.spend(1000);
  assert.equal(fake.reasons.length, 1, 'reported once');
  assert.equal(fake.applied.length, 2, 'ticks do nothing once it is on');
});

test('a flood that keeps the main thread busy switches it on within 300 ms', () => {
  const fake = onFakes();
  let ms = 0;
  while (!fake.compiler.enabled && ms < 1000) {
    fake.wait(1);
    fake.spend(1);
    ms += 1;
  }
  assert.ok(fake.compiler.enabled && ms < 300, `on after ${ms} ms`);
});

test('enable() switches it on at once, and applies the flags again each time (a worker start resets them)', () => {
  const fake = onFakes();
  fake.compiler.enable('the bcrypt thread started');
  fake.compiler.enable('the bcrypt thread started');
  assert.equal(fake.compiler.enabled, true);
  assert.deepEqual(fake.reasons, ['the bcrypt thread started']);
  assert.deepEqual(fake.applied, [
    OPTIMIZING_COMPILER_FLAGS.off,
    OPTIMIZING_COMPILER_FLAGS.on,
    OPTIMIZING_COMPILER_FLAGS.on,
  ]);
});

test('with the real flags, V8 optimizes nothing until the switch is on, and then does', () => {
  // In a child: V8's flags are process-wide. A function asked to be optimized on its next call either is or not.
  const script = `
    import { setFlagsFromString } from 'node:v8';
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
    const compiler = createOptimizingCompiler({ budgetMs: 250, halfLifeMs: 5000 });
    const off = optimizedWhenAsked();
    compiler.enable('test');
    console.log(JSON.stringify({ before, off, on: optimizedWhenAsked() }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '--import tsx' },
  });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { before: true, off: false, on: true });
});
