import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogRouter } from '../log/logger.ts';
import { runSchedule } from './schedule.ts';

const quietLogger = (lines: string[] = []) =>
  createLogRouter({ level: 'DEBUG', outputs: [{ write: (line) => lines.push(line) }] }).logger;

/** A monotonic clock that only moves when a cycle works or the loop sleeps: no real time, no flakiness. */
function fakeTime() {
  let now = 0;
  return {
    now: () => now,
    work: (ms: number) => {
      now += ms;
    },
    sleep: (ms: number) => {
      now += Math.max(0, ms);
      return Promise.resolve();
    },
  };
}

test('runSchedule() starts cycles on the start + k·interval grid however long they take', async () => {
  const time = fakeTime();
  const controller = new AbortController();
  const starts: number[] = [];
  await runSchedule({
    intervalMs: () => 50,
    monotonicMs: time.now,
    sleep: time.sleep,
    signal: controller.signal,
    logger: quietLogger(),
    runCycle: () => {
      starts.push(time.now());
      time.work(20 + starts.length); // cycles of varying length must not accumulate as drift
      if (starts.length === 6) controller.abort();
      return Promise.resolve();
    },
  });
  assert.deepEqual(starts, [0, 50, 100, 150, 200, 250]);
});

test('runSchedule() never overlaps cycles and skips the ticks an overrun missed', async () => {
  const time = fakeTime();
  const controller = new AbortController();
  const starts: number[] = [];
  const skipped: number[] = [];
  const lines: string[] = [];
  await runSchedule({
    intervalMs: () => 20,
    monotonicMs: time.now,
    sleep: time.sleep,
    signal: controller.signal,
    logger: quietLogger(lines),
    onSkipped: (ticks) => skipped.push(ticks),
    runCycle: () => {
      starts.push(time.now());
      time.work(starts.length === 1 ? 75 : 1);
      if (starts.length === 3) controller.abort();
      return Promise.resolve();
    },
  });
  assert.deepEqual(starts, [0, 80, 100], 'the 75 ms cycle covered the ticks at 20, 40 and 60');
  assert.deepEqual(skipped, [3]);
  assert.ok(lines.some((line) => line.includes('skipping 3 tick(s)')));
});

test('runSchedule() picks up a new interval and notices wall-clock jumps', async () => {
  const time = fakeTime();
  const controller = new AbortController();
  let interval = 30;
  let wall = 0;
  const lines: string[] = [];
  const starts: number[] = [];
  await runSchedule({
    intervalMs: () => interval,
    monotonicMs: time.now,
    sleep: time.sleep,
    wallMs: () => wall + time.now(),
    signal: controller.signal,
    logger: quietLogger(lines),
    runCycle: () => {
      starts.push(time.now());
      if (starts.length === 1) interval = 10;
      if (starts.length === 2) wall += 3_600_000;
      if (starts.length === 3) controller.abort();
      return Promise.resolve();
    },
  });
  assert.deepEqual(starts, [0, 10, 20]);
  assert.ok(lines.some((line) => line.includes('wall clock jumped')));
});

test('runSchedule() really waits between cycles and wakes up at once on abort', async () => {
  const controller = new AbortController();
  let cycles = 0;
  const done = runSchedule({
    intervalMs: () => 60_000,
    monotonicMs: () => performance.now(),
    signal: controller.signal,
    logger: quietLogger(),
    runCycle: () => {
      cycles += 1;
      return Promise.resolve();
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  controller.abort();
  await done;
  assert.equal(cycles, 1, 'one cycle, then a sleep the abort cut short');
});
