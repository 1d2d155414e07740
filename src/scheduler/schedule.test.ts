import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogRouter } from '../log/logger.ts';
import { runSchedule } from './schedule.ts';

const quietLogger = (lines: string[] = []) =>
  createLogRouter({ level: 'DEBUG', outputs: [{ write: (line) => lines.push(line) }] }).logger;

test('runSchedule() keeps cycles on the start + k·interval grid despite slow cycles', async () => {
  const controller = new AbortController();
  const starts: number[] = [];
  const origin = performance.now();
  await runSchedule({
    intervalMs: () => 50,
    monotonicMs: () => performance.now(),
    signal: controller.signal,
    logger: quietLogger(),
    runCycle: async () => {
      starts.push(performance.now() - origin);
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (starts.length === 6) controller.abort();
    },
  });
  assert.equal(starts.length, 6);
  // Without drift correction the 6th cycle would start at 5·(50+20) = 350 ms; on the grid it starts near 250 ms.
  assert.ok((starts[5] ?? 0) < 330, `6th cycle started at ${starts[5]} ms`);
});

test('runSchedule() never overlaps cycles and skips the ticks an overrun missed', async () => {
  const controller = new AbortController();
  let running = 0;
  let overlapped = false;
  const skipped: number[] = [];
  const lines: string[] = [];
  let cycles = 0;
  await runSchedule({
    intervalMs: () => 20,
    monotonicMs: () => performance.now(),
    signal: controller.signal,
    logger: quietLogger(lines),
    onSkipped: (ticks) => skipped.push(ticks),
    runCycle: async () => {
      running += 1;
      overlapped ||= running > 1;
      cycles += 1;
      await new Promise((resolve) => setTimeout(resolve, cycles === 1 ? 75 : 1));
      running -= 1;
      if (cycles === 3) controller.abort();
    },
  });
  assert.equal(overlapped, false);
  assert.ok((skipped[0] ?? 0) >= 2, `skipped ${skipped.join(',')}`);
  assert.ok(lines.some((line) => line.includes('skipping')));
});

test('runSchedule() picks up a new interval and notices wall-clock jumps', async () => {
  const controller = new AbortController();
  let interval = 30;
  let wall = 0;
  const lines: string[] = [];
  let cycles = 0;
  await runSchedule({
    intervalMs: () => interval,
    monotonicMs: () => performance.now(),
    wallMs: () => wall,
    signal: controller.signal,
    logger: quietLogger(lines),
    runCycle: () => {
      cycles += 1;
      if (cycles === 1) interval = 10;
      if (cycles === 2) wall += 3_600_000;
      if (cycles === 3) controller.abort();
      return Promise.resolve();
    },
  });
  assert.equal(cycles, 3);
  assert.ok(lines.some((line) => line.includes('wall clock jumped')));
});
