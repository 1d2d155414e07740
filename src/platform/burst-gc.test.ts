import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBurstGc } from './burst-gc.ts';

test('createBurstGc() collects in each busy window and once after, never while quiet', (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  let collections = 0;
  const burst = createBurstGc({ windowMs: 5000, busyPerWindow: 100, collect: () => void (collections += 1) });
  const window = (work: number) => {
    for (let index = 0; index < work; index += 1) burst.work();
    t.mock.timers.tick(5000);
  };
  window(10);
  assert.equal(collections, 0, 'a Prometheus scraping every 15 s never triggers it');
  window(5000);
  window(5000);
  assert.equal(collections, 2, 'once per busy window');
  window(0);
  assert.equal(collections, 3, 'once more when the burst has ended');
  window(0);
  window(50);
  assert.equal(collections, 3, 'then not again while quiet');
  burst.stop();
});

test('createBurstGc() runs a real full collection, with gc() exposed at run time', async () => {
  const { constants, PerformanceObserver } = await import('node:perf_hooks');
  const major = new Promise<void>((resolve) => {
    const observer = new PerformanceObserver((list) => {
      const kinds = list.getEntries().map((entry) => (entry as { detail?: { kind?: number } }).detail?.kind);
      if (kinds.includes(constants.NODE_PERFORMANCE_GC_MAJOR)) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe({ entryTypes: ['gc'] });
  });
  const burst = createBurstGc({ windowMs: 20, busyPerWindow: 0 });
  burst.work();
  // Its timer does not hold the process open (an agent must be able to exit): this one does, until the answer.
  const alive = setTimeout(() => assert.fail('no full collection within 10 s'), 10_000);
  await major;
  clearTimeout(alive);
  burst.stop();
});
