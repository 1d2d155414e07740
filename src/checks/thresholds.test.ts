import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diskCheck } from './disk.ts';
import { judge, resolveThresholds, thresholdAlerts, thresholdsFor } from './thresholds.ts';

test('thresholdAlerts() fires a number at or above it and reads strings as Nagios ranges', () => {
  assert.equal(thresholdAlerts(90, 89.9), false);
  assert.equal(thresholdAlerts(90, 90), true);
  assert.equal(thresholdAlerts('10:', 9.9), true);
  assert.equal(thresholdAlerts('10:', 10), false);
});

test('resolveThresholds() overrides each level on its own: defaults, short form, per metric, per instance', () => {
  const config = {
    warn: 70,
    inodes_used_percent: { warn: 50 },
    free_percent: { crit: '10:' },
    instances: { '/boot': { crit: 99 }, '/var': { used_percent: { warn: 60, crit: 65 } } },
  };
  assert.deepEqual(Object.fromEntries(resolveThresholds(diskCheck, undefined)), diskCheck.defaultThresholds);
  const root = resolveThresholds(diskCheck, config, '/');
  assert.deepEqual(root.get('used_percent'), { warn: 70, crit: 90 });
  assert.deepEqual(root.get('inodes_used_percent'), { warn: 50, crit: 90 });
  assert.deepEqual(root.get('free_percent'), { crit: '10:' });
  assert.deepEqual(resolveThresholds(diskCheck, config, '/boot').get('used_percent'), { warn: 70, crit: 99 });
  assert.deepEqual(resolveThresholds(diskCheck, config, '/var').get('used_percent'), { warn: 60, crit: 65 });
});

test('judge() tests critical before warning and lets the worst metric decide', () => {
  const rules = new Map([
    ['used_percent', { warn: 80, crit: 90 }],
    ['free_percent', { warn: '20:' as const, crit: '10:' as const }],
    ['missing', { crit: 1 }],
  ]);
  assert.deepEqual(judge({ used_percent: 50, free_percent: 50 }, rules), { status: 'OK', breaches: [] });
  assert.equal(judge({ used_percent: 85, free_percent: 15 }, rules).status, 'WARN');
  const verdict = judge({ used_percent: 85, free_percent: 5 }, rules);
  assert.equal(verdict.status, 'CRIT');
  assert.deepEqual(
    verdict.breaches.map((breach) => `${breach.metric}:${breach.level}`),
    ['used_percent:warn', 'free_percent:crit'],
  );
});

test('thresholdsFor() resolves once per check, config and instance, and afresh for a reloaded config', () => {
  const config = { warn: 70, instances: { '/boot': { crit: 99 } } };
  const boot = thresholdsFor(diskCheck, config, '/boot');
  assert.equal(thresholdsFor(diskCheck, config, '/boot'), boot);
  assert.deepEqual(boot, resolveThresholds(diskCheck, config, '/boot'));
  assert.notEqual(thresholdsFor(diskCheck, config, '/'), boot);
  const reloaded = { ...config, warn: 60 };
  assert.deepEqual(thresholdsFor(diskCheck, reloaded, '/boot').get('used_percent'), { warn: 60, crit: 99 });
  assert.deepEqual(thresholdsFor(diskCheck, undefined).get('used_percent'), { warn: 80, crit: 90 });
});
