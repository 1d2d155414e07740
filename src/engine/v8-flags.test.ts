import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';

type Loop = 'none' | 'agent' | 'status';

/**
 * Applies a loop's flags as the monitor loop does (before and after starting a worker, or only before), then
 * runs `probe` and gives what it prints. In a child: the flags are process-wide.
 */
function afterFlags(
  loop: Loop,
  order: 'apply, start a worker' | 'apply, start a worker, apply',
  probe: string,
): string {
  const script = `
    import { setFlagsFromString } from 'node:v8';
    import { Worker } from 'node:worker_threads';
    import { LOOP_V8_FLAGS, applyV8Flags } from ${JSON.stringify(new URL('./v8-flags.ts', import.meta.url).href)};
    const flags = ${JSON.stringify(loop)} === 'none' ? [] : LOOP_V8_FLAGS[${JSON.stringify(loop)}];
    for (const step of ${JSON.stringify(order)}.split(', ')) {
      if (step === 'apply') applyV8Flags(flags);
      if (step === 'start a worker') {
        const worker = new Worker('setTimeout(() => {}, 50)', { eval: true });
        await new Promise((resolve) => worker.once('online', resolve));
      }
    }
    ${probe}
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    // tsx loads the module; the child's own start-up allocations are the same in every case.
    env: { ...process.env, NODE_OPTIONS: '--import tsx' },
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

/** Fills the heap with objects that survive many scavenges (as a scrape burst's requests do): new space in MiB. */
const youngGenerationAfterSurvivors = `
  import { getHeapSpaceStatistics } from 'node:v8';
  const kept = [];
  for (let i = 0; i < 400_000; i++) kept.push({ i, label: 'x' + i });
  console.log(getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size / 2 ** 20);
`;

/**
 * Asks V8 to optimize a small function on its next call and prints whether TurboFan did. Synchronous: the test
 * used to run the function hot until V8's compiler thread got to it, which a loaded machine could delay.
 */
const optimizedWhenAsked = `
  setFlagsFromString('--allow-natives-syntax');
  const natives = new Function('f', \`
    %PrepareFunctionForOptimization(f); f([1, 2]); f([1, 2]); %OptimizeFunctionOnNextCall(f); f([1, 2]);
    return %GetOptimizationStatus(f);
  \`);
  const sum = (values) => { let total = 0; for (const value of values) total += value * 2; return total; };
  console.log((natives(sum) & 16) !== 0);
`;

const newSpaceMiB = (loop: Loop, order: Parameters<typeof afterFlags>[1]) =>
  Number(afterFlags(loop, order, youngGenerationAfterSurvivors));

test('surviving allocations grow the young generation to many MiB (the cost the agent avoids)', () => {
  assert.ok(newSpaceMiB('none', 'apply, start a worker, apply') >= 16);
});

test("the agent's flags hold the young generation where it was, also after a worker starts", () => {
  assert.ok(newSpaceMiB('agent', 'apply, start a worker, apply') <= 4);
});

test("a worker's start undoes the agent's flags, which is why the loop applies them again", () => {
  assert.ok(newSpaceMiB('agent', 'apply, start a worker') >= 16);
});

test('V8 optimizes a function when asked by default and in the agent, but not in the status loop', () => {
  assert.equal(afterFlags('none', 'apply, start a worker, apply', optimizedWhenAsked), 'true');
  assert.equal(afterFlags('agent', 'apply, start a worker, apply', optimizedWhenAsked), 'true');
  assert.equal(afterFlags('status', 'apply, start a worker, apply', optimizedWhenAsked), 'false');
  // A worker's start does not undo this one; the loop applies the flags again all the same.
  assert.equal(afterFlags('status', 'apply, start a worker', optimizedWhenAsked), 'false');
});

/**
 * A process with a worker thread (the loop's history thread), flags applied as the monitor loop does, idle past the
 * memory reducer's 8 s timer, under --trace-gc: the full GCs it ran, and how many of them the reducer started.
 * One full GC is forced first, so a trace that was not captured cannot pass for a quiet reducer.
 */
async function fullGCs(loop: Loop): Promise<{ all: number; reducer: number }> {
  const script = `
    import { Worker } from 'node:worker_threads';
    import { LOOP_V8_FLAGS, applyV8Flags } from ${JSON.stringify(new URL('./v8-flags.ts', import.meta.url).href)};
    const flags = ${JSON.stringify(loop)} === 'none' ? [] : LOOP_V8_FLAGS[${JSON.stringify(loop)}];
    applyV8Flags(flags);
    const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
    await new Promise((resolve) => worker.once('online', resolve));
    applyV8Flags(flags);
    globalThis.gc();
    setTimeout(() => process.exit(0), 10_000);
  `;
  const child = spawn(process.execPath, ['--trace-gc', '--expose-gc', '--input-type=module', '-e', script], {
    env: { ...process.env, NODE_OPTIONS: '--import tsx' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  assert.equal(code, 0);
  const lines = out.split('\n');
  return {
    all: lines.filter((line) => line.includes('Mark-Compact')).length,
    reducer: lines.filter((line) => line.includes('Mark-Compact (reduce)')).length,
  };
}

// Whether V8's reducer fires within 10 s in a default process depends on its timer and heuristics, and it once
// did not on a loaded machine; what Argus promises is the other half: in the status loop it never runs.
test("V8's memory reducer never runs in the status loop, where full GCs are still traced", async () => {
  const gcs = await fullGCs('status');
  assert.ok(gcs.all >= 1, 'the forced GC shows in the trace');
  assert.equal(gcs.reducer, 0);
});
