import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checks } from '../checks/registry.ts';
import { validateConfig } from '../config/validate.ts';
import { buildAlertRules, thresholdExpression } from './alert-rules.ts';

test('thresholdExpression() says in PromQL what Argus alerts on, in the series unit', () => {
  assert.equal(thresholdExpression('m', 80, 100), 'm >= 0.8');
  assert.equal(thresholdExpression('m', 95, 100), 'm >= 0.95');
  assert.equal(thresholdExpression('m', 3, 1), 'm >= 3');
  assert.equal(thresholdExpression('m', '10:', 100), 'm < 0.1');
  assert.equal(thresholdExpression('m', '~:10', 1), 'm > 10');
  assert.equal(thresholdExpression('m', '10', 1), '(m < 0) or (m > 10)');
  assert.equal(thresholdExpression('m', '5:90', 100), '(m < 0.05) or (m > 0.9)');
  assert.equal(thresholdExpression('m', '@10:20', 1), '(m >= 10) and (m <= 20)');
  assert.equal(thresholdExpression('m', '@~:20', 1), 'm <= 20');
});

test('buildAlertRules() writes a rule per check, metric and level, overrides excluded from the general rule', () => {
  const validated = validateConfig({
    enabled_checks: ['cpu', 'disk'],
    poll_interval: 30,
    alerts: { for_cycles: 3 },
    thresholds: {
      cpu: { warn: 70, crit: null },
      disk: { instances: { '/data "x"': { used_percent: { warn: 95, crit: 99 } } } },
    },
  });
  assert.ok(validated.ok);
  const file = buildAlertRules(validated.config, checks);
  const rules = file.groups[0]?.rules ?? [];
  const cpu = rules.filter((rule) => rule.labels.check === 'cpu');
  assert.deepEqual(
    cpu.map((rule) => [rule.alert, rule.expr, rule.for]),
    [['ArgusCpuUsagePercentWarning', 'argus_cpu_usage_ratio >= 0.7', '90s']],
  );
  const general = rules.find((rule) => rule.alert === 'ArgusDiskUsedPercentWarning' && !rule.labels.target);
  assert.equal(general?.expr, 'argus_disk_used_ratio{target!="/data \\"x\\""} >= 0.8');
  const override = rules.find((rule) => rule.alert === 'ArgusDiskUsedPercentCritical' && rule.labels.target);
  assert.equal(override?.expr, 'argus_disk_used_ratio{target="/data \\"x\\""} >= 0.99');
  assert.equal(override?.labels.severity, 'critical');
  const health = file.groups[1]?.rules.map((rule) => rule.alert);
  assert.deepEqual(health, ['ArgusCheckUnknown', 'ArgusConfigReloadFailed', 'ArgusCollectionStalled']);
});
