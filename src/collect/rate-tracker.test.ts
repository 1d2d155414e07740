import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRateTracker, MIN_RATE_WINDOW_MS } from './rate-tracker.ts';

test('createRateTracker() gives the baseline to measure from: none at first, after a reset, or too soon', () => {
  const tracker = createRateTracker<string, number>((before, after) => after < before);
  assert.equal(tracker.observe('eth0', 100, 1000), undefined, 'a first sample is only a baseline');
  tracker.end();
  assert.deepEqual(tracker.observe('eth0', 150, 2000), { counters: 100, atMs: 1000 });
  tracker.end();
  assert.equal(tracker.observe('eth0', 160, 2000 + MIN_RATE_WINDOW_MS - 1), undefined, 'too soon: no rate');
  tracker.end();
  assert.deepEqual(
    tracker.observe('eth0', 170, 3000),
    { counters: 150, atMs: 2000 },
    'the baseline was kept, so this spans the whole second',
  );
  tracker.end();
  assert.equal(tracker.observe('eth0', 5, 4000), undefined, 'a counter that went backwards starts over');
  tracker.end();
  assert.deepEqual(tracker.observe('eth0', 25, 5000), { counters: 5, atMs: 4000 });
});

test('createRateTracker() forgets keys not seen in a pass, and one key on request', () => {
  const tracker = createRateTracker<string, number>(() => false);
  tracker.observe('sda', 1, 0);
  tracker.observe('sdb', 1, 0);
  tracker.end();
  tracker.observe('sda', 2, 1000);
  tracker.end();
  assert.equal(tracker.observe('sdb', 3, 2000), undefined, 'sdb went away a pass ago: it starts over');
  tracker.forget('sda');
  assert.equal(tracker.observe('sda', 3, 2000), undefined);
});
