import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

type Steps = 'none' | 'call' | 'call, start a worker' | 'call, start a worker, call';

/**
 * Runs the steps, then fills the heap with objects that survive many scavenges (as a scrape burst's in-flight
 * requests do) and gives the young generation's size in MiB after. In a child: the flag is process-wide.
 */
function youngGenerationAfterSurvivors(steps: Steps): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { Worker } from 'node:worker_threads';
    import { keepYoungGenerationSmall } from ${JSON.stringify(new URL('./daemon-heap.ts', import.meta.url).href)};
    for (const step of ${JSON.stringify(steps)}.split(', ')) {
      if (step === 'call') keepYoungGenerationSmall();
      if (step === 'start a worker') {
        const worker = new Worker('setTimeout(() => {}, 50)', { eval: true });
        await new Promise((resolve) => worker.once('online', resolve));
      }
    }
    const kept = [];
    for (let i = 0; i < 400_000; i++) kept.push({ i, label: 'x' + i });
    const size = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;
    console.log(size / 2 ** 20);
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    // tsx loads the module; the child's own start-up allocations are the same in every case.
    env: { ...process.env, NODE_OPTIONS: '--import tsx' },
  });
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout.trim());
}

test('surviving allocations grow the young generation to many MiB (the cost this avoids)', () => {
  assert.ok(youngGenerationAfterSurvivors('none') >= 16);
});

test('keepYoungGenerationSmall holds it where it was', () => {
  assert.ok(youngGenerationAfterSurvivors('call') <= 4);
});

test("a worker's start undoes it, which is why the loop calls it again once the history thread is online", () => {
  assert.ok(youngGenerationAfterSurvivors('call, start a worker') >= 16);
  assert.ok(youngGenerationAfterSurvivors('call, start a worker, call') <= 4);
});
