import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import type { Collect } from '../checks/check.ts';
import { CheckTimeoutError, CheckUnavailableError } from '../errors.ts';
import { describeError } from '../errors.ts';
import { runCheck } from './run-check.ts';

const options = (overrides: Partial<Parameters<typeof runCheck>[1]> = {}) => ({
  host: fixtureHost('vm-basic'),
  timeoutMs: 200,
  retries: 0,
  backoffMs: 10,
  signal: new AbortController().signal,
  monotonicMs: () => performance.now(),
  ...overrides,
});

test('runCheck() returns readings and drops values that are not finite numbers', async () => {
  const outcome = await runCheck(() => [{ metrics: { good: 1, nan: Number.NaN, inf: Infinity } }], options());
  assert.deepEqual(outcome, { ok: true, readings: [{ metrics: { good: 1 } }], attempts: 1 });
});

test('runCheck() catches synchronous throws and async rejections with the reason', async () => {
  const sync: Collect = () => {
    throw new TypeError('bad field');
  };
  const outcome = await runCheck(sync, options());
  assert.equal(outcome.ok ? '' : outcome.reason, 'TypeError: bad field');
  const rejected = await runCheck(() => Promise.reject(new Error('disk gone')), options());
  assert.equal(rejected.ok ? '' : rejected.reason, 'disk gone');
});

test('runCheck() abandons a check that hangs and ignores its signal at the deadline', async () => {
  const started = performance.now();
  const outcome = await runCheck(() => new Promise(() => {}), options({ timeoutMs: 100 }));
  assert.equal(outcome.ok ? '' : outcome.reason, 'timeout after 0.1s');
  assert.ok(performance.now() - started < 5000, 'gave up long before a real hang would end');
});

test('runCheck() retries with backoff within the deadline and reports the attempts', async () => {
  let calls = 0;
  const flaky: Collect = () => {
    calls += 1;
    if (calls < 3) throw new Error(`try ${calls}`);
    return [{ metrics: { ok: 1 } }];
  };
  const outcome = await runCheck(flaky, options({ retries: 2, timeoutMs: 2000 }));
  assert.equal(outcome.ok && outcome.attempts, 3);
  const exhausted = await runCheck(() => Promise.reject(new Error('always')), options({ retries: 1, timeoutMs: 2000 }));
  assert.equal(exhausted.ok ? 0 : exhausted.attempts, 2);
  const outOfTime = await runCheck(
    () => Promise.reject(new Error('always')),
    options({ retries: 5, backoffMs: 1000, timeoutMs: 150 }),
  );
  assert.equal(outOfTime.ok ? '' : outOfTime.reason, 'timeout after 0.15s');
});

test('runCheck() marks a missing device as unavailable without retrying', async () => {
  let calls = 0;
  const outcome = await runCheck(
    () => {
      calls += 1;
      throw new CheckUnavailableError('no GPU found');
    },
    options({ retries: 3 }),
  );
  assert.deepEqual(
    [outcome.ok ? '' : outcome.reason, outcome.ok ? false : outcome.unavailable, calls],
    ['no GPU found', true, 1],
  );
});

test('runCheck() gives up at once on shutdown', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);
  const outcome = await runCheck(() => new Promise(() => {}), options({ signal: controller.signal, timeoutMs: 5000 }));
  assert.equal(outcome.ok ? '' : outcome.reason, 'cancelled by shutdown');
});

test('describeError() keeps class and message and handles non-errors', () => {
  assert.equal(describeError(new RangeError('x')), 'RangeError: x');
  assert.equal(describeError('plain'), 'plain');
});

test('runCheck() aborts the signal of a check that reads it, at the deadline and on shutdown', async () => {
  let seen: AbortSignal | undefined;
  const waits: Collect = ({ signal }) => {
    seen = signal;
    return new Promise(() => {});
  };
  await runCheck(waits, options({ timeoutMs: 50 }));
  assert.equal(seen?.aborted, true);
  assert.equal(seen?.reason instanceof CheckTimeoutError, true);
  const shutdown = new AbortController();
  setTimeout(() => shutdown.abort(), 20);
  await runCheck(waits, options({ signal: shutdown.signal, timeoutMs: 5000 }));
  assert.equal(seen?.aborted, true);
  assert.equal(seen?.reason instanceof CheckTimeoutError, false);
});

test('runCheck() counts the deadline from the start of the run, also when a synchronous attempt used it up', async () => {
  let calls = 0;
  const slowThenHangs: Collect = () => {
    calls += 1;
    const until = performance.now() + 80;
    while (performance.now() < until);
    throw new Error('busy');
  };
  const started = performance.now();
  const outcome = await runCheck(slowThenHangs, options({ timeoutMs: 100, retries: 5, backoffMs: 1000 }));
  assert.equal(outcome.ok ? '' : outcome.reason, 'timeout after 0.1s');
  assert.equal(calls, 1);
  assert.ok(performance.now() - started < 1000, 'the backoff was cut at the deadline, not slept out');
});

test('runCheck() does not start a check once shutdown has begun', async () => {
  let calls = 0;
  const controller = new AbortController();
  controller.abort();
  const outcome = await runCheck(
    () => {
      calls += 1;
      return [];
    },
    options({ signal: controller.signal }),
  );
  assert.deepEqual([outcome.ok ? '' : outcome.reason, calls], ['cancelled by shutdown', 0]);
});

test('runCheck() keeps the readings of a check whose values are all finite as they are', async () => {
  const readings = [{ instance: 'a', metrics: { used: 1 } }];
  const outcome = await runCheck(() => readings, options());
  assert.equal(outcome.ok && outcome.readings, readings);
});
