import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { validateConfig } from '../config/validate.ts';
import { createLogRouter } from '../log/logger.ts';
import type { Batch } from '../result.ts';
import { createAlerting } from './alerting.ts';

const settings = (alerts: Record<string, unknown>) => {
  const result = validateConfig({ alerts });
  assert.ok(result.ok, JSON.stringify(result));
  return result.config.alerts;
};
const crit = (second: number): Batch => ({
  timestamp: new Date(second * 1000).toISOString(),
  host: 'h',
  results: [{ name: 'ram', status: 'CRIT', metrics: {}, details: 'ram CRIT', timestamp: '', host: 'h', durationMs: 0 }],
});

test('alerting follows alerts.enabled and swaps notifiers on reload, logging one that cannot start', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'argus-alerting-'));
  const lines: string[] = [];
  const logger = createLogRouter({ level: 'INFO', outputs: [{ write: (line) => lines.push(line) }] }).logger;
  const alerting = createAlerting({
    settings: settings({ enabled: false, for_cycles: 1 }),
    stateDir,
    host: 'h',
    logger,
    audit: () => undefined,
  });
  alerting.observe(crit(0));
  assert.equal(readdirSync(stateDir).length, 0, 'disabled: no state, no events');
  const webhook = { type: 'command', name: 'pager', argv: ['/bin/true'] };
  alerting.configure(settings({ for_cycles: 1, notify: [webhook] }));
  alerting.observe(crit(60));
  assert.ok(lines.some((line) => line.includes('alert firing: ram OK → CRIT')));
  assert.ok(readdirSync(join(stateDir, 'outbox')).includes('pager'), 'the new notifier got the event');
  writeFileSync(join(stateDir, 'outbox', 'blocked'), 'not a directory');
  alerting.configure(settings({ for_cycles: 1, notify: [{ ...webhook, name: 'blocked' }] }));
  assert.ok(
    lines.some((line) => line.includes('ERROR') && line.includes('Cannot open the outbox of notifier "blocked"')),
  );
  alerting.observe(crit(120)); // alert state goes on without a notifier
  alerting.close();
  assert.ok(!lines.some((line) => line.includes('notifications since start')), 'no notifier left to report counts');
});
