import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import type { Collect } from '../checks/check.ts';
import { CheckUnavailableError } from '../errors.ts';
import { describeError, runCheck } from './run-check.ts';

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
