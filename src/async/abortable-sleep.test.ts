import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abortableSleep } from './abortable-sleep.ts';

test('abortableSleep() waits its time, or ends at once when the signal aborts, and never rejects', async () => {
  const controller = new AbortController();
  let started = performance.now();
  await abortableSleep(30, controller.signal);
  assert.ok(performance.now() - started >= 25, 'slept');
  started = performance.now();
  setTimeout(() => controller.abort(new Error('stop')), 10);
  await abortableSleep(60_000, controller.signal);
  assert.ok(performance.now() - started < 5000, 'woken by the abort');
  await abortableSleep(60_000, controller.signal);
});

test('abortableSleep() adds one listener to a signal it sleeps on cycle after cycle, not one a sleep', async () => {
  const controller = new AbortController();
  let added = 0;
  let removed = 0;
  const { signal } = controller;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (...args: Parameters<typeof add>) => {
    added += 1;
    add(...args);
  };
  signal.removeEventListener = (...args: Parameters<typeof remove>) => {
    removed += 1;
    remove(...args);
  };
  for (let cycle = 0; cycle < 20; cycle += 1) await abortableSleep(1, signal);
  assert.deepEqual([added, removed], [1, 0]);
});
