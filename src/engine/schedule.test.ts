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

// Under CPU load a timer can fire a few ms before the monotonic clock reaches its target: libuv counts from the
// loop time it cached before the busy stretch. The loop then ran the same slot twice, 2-4 ms apart, and CPU rates
// came out over 2 ms (59 of 543 history rows in the attack battery's soak).
test('runSchedule() never starts a cycle before its slot, nor twice in one slot, when the timer fires early', async () => {
  const time = fakeTime();
  const controller = new AbortController();
  const starts: number[] = [];
  await runSchedule({
    intervalMs: () => 1000,
    monotonicMs: time.now,
    sleep: (ms) => time.sleep(ms > 3 ? ms - 3 : ms),
    signal: controller.signal,
    logger: quietLogger(),
    runCycle: () => {
      starts.push(time.now());
      time.work(1);
      if (starts.length === 5) controller.abort();
      return Promise.resolve();
    },
  });
  assert.deepEqual(starts, [0, 1000, 2000, 3000, 4000]);
});

test('runSchedule() shifts the cycle after one that started late, so two never start within half an interval', async () => {
  const time = fakeTime();
  const controller = new AbortController();
  const starts: number[] = [];
  const skipped: number[] = [];
  const lines: string[] = [];
  let sleeps = 0;
  await runSchedule({
    intervalMs: () => 1000,
    monotonicMs: time.now,
    // The second sleep oversleeps by 900 ms: a process starved of CPU.
    sleep: (ms) => time.sleep((sleeps += 1) === 2 ? ms + 900 : ms),
    signal: controller.signal,
    logger: quietLogger(lines),
    onSkipped: (ticks) => skipped.push(ticks),
    runCycle: () => {
      starts.push(time.now());
      time.work(1);
      if (starts.length === 4) controller.abort();
      return Promise.resolve();
    },
  });
  assert.deepEqual(starts, [0, 1000, 2900, 4000]);
  assert.deepEqual(skipped, [1]);
  assert.ok(lines.some((line) => line.includes('cycle started 900 ms late; skipping the next tick')));
});
