import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AuditEvent } from '../log/audit.ts';
import { createLogRouter } from '../log/logger.ts';
import type { Batch, Status } from '../result.ts';
import { alertRulesFrom, createAlertEngine } from './alert-engine.ts';

const batch = (second: number, status: Status): Batch => ({
  timestamp: new Date(second * 1000).toISOString(),
  host: 'h',
  results: [{ name: 'ram', status, metrics: {}, details: `ram ${status}`, timestamp: '', host: 'h', durationMs: 0 }],
});
const rules = alertRulesFrom({
  for_cycles: 2,
  for: 0,
  resolve_after_cycles: 1,
  repeat_interval: 0,
  flap_detection: false,
});

test('alert engine keeps its state across a restart, logs and audits each event', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'argus-alerts-')), 'state', 'alerts.json');
  const lines: string[] = [];
  const audited: AuditEvent[] = [];
  const make = () =>
    createAlertEngine({
      statePath: path,
      rules,
      logger: createLogRouter({ level: 'INFO', outputs: [{ write: (line) => lines.push(line) }] }).logger,
      audit: (event) => audited.push(event),
    });
  const first = make();
  assert.deepEqual(first.observe(batch(0, 'CRIT')), []);
  const restarted = make();
  const [fired] = restarted.observe(batch(60, 'CRIT'));
  assert.equal(fired?.kind, 'firing', 'the pending cycle before the restart counted');
  assert.deepEqual(
    restarted.observe(batch(120, 'OK')).map((event) => event.kind),
    ['resolved'],
  );
  assert.ok(lines.some((line) => line.includes('WARNING argus.alerts: alert firing: ram OK → CRIT: ram CRIT')));
  assert.deepEqual(
    audited.map((event) => (event.event === 'alert' ? `${event.kind}:${event.status}` : '')),
    ['firing:CRIT', 'resolved:OK'],
  );
  restarted.configure({ ...rules, forCycles: 1 });
  assert.deepEqual(
    restarted.observe(batch(180, 'WARN')).map((event) => event.kind),
    ['firing'],
  );
});

test('alert engine moves a corrupt state file aside and starts afresh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-alerts-'));
  const path = join(dir, 'alerts.json');
  writeFileSync(path, '{ not json');
  const lines: string[] = [];
  const engine = createAlertEngine({
    statePath: path,
    rules,
    logger: createLogRouter({ level: 'INFO', outputs: [{ write: (line) => lines.push(line) }] }).logger,
    audit: () => undefined,
  });
  assert.ok(readdirSync(dir).some((file) => file.startsWith('alerts.json.corrupt-')));
  assert.ok(lines.some((line) => line.includes('alert state file was unreadable')));
  engine.observe(batch(0, 'OK'));
  assert.ok(existsSync(path));
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(path, 'utf8')) as object), ['ram']);
});

test('alert engine carries on in memory when the state cannot be saved', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-alerts-'));
  writeFileSync(join(dir, 'file'), '');
  const lines: string[] = [];
  const engine = createAlertEngine({
    statePath: join(dir, 'file', 'alerts.json'),
    rules,
    logger: createLogRouter({ level: 'INFO', outputs: [{ write: (line) => lines.push(line) }] }).logger,
    audit: () => undefined,
  });
  engine.observe(batch(0, 'CRIT'));
  assert.deepEqual(
    engine.observe(batch(60, 'CRIT')).map((event) => event.kind),
    ['firing'],
  );
  assert.equal(lines.filter((line) => line.includes('Cannot save alert state')).length, 1, 'said once');
});

test('alert engine writes its state when something that matters changes, else every 30 s', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'argus-alerts-')), 'alerts.json');
  const engine = createAlertEngine({
    statePath: path,
    rules,
    logger: createLogRouter({ level: 'ERROR', outputs: [] }).logger,
    audit: () => undefined,
  });
  engine.observe(batch(0, 'OK'));
  writeFileSync(path, '{"marker":true}');
  engine.observe(batch(1, 'OK'));
  assert.equal(readFileSync(path, 'utf8'), '{"marker":true}', 'a steady OK cycle is not written');
  engine.observe(batch(2, 'WARN'));
  assert.match(readFileSync(path, 'utf8'), /"pending":\{"status":"WARN"/, 'a pending status is written at once');
  writeFileSync(path, '{"marker":true}');
  engine.observe(batch(40, 'WARN'));
  assert.doesNotMatch(readFileSync(path, 'utf8'), /marker/, 'firing is written at once');
  writeFileSync(path, '{"marker":true}');
  engine.observe(batch(41, 'WARN'));
  assert.match(readFileSync(path, 'utf8'), /marker/);
  engine.observe(batch(75, 'WARN'));
  assert.doesNotMatch(readFileSync(path, 'utf8'), /marker/, 'and every 30 s regardless');
});

test('what fires survives a restart as firing events, with its start; an instance may hold "/"', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'argus-alerts-')), 'alerts.json');
  const quiet = createLogRouter({ level: 'ERROR', outputs: [] }).logger;
  const make = () => createAlertEngine({ statePath: path, rules, logger: quiet, audit: () => undefined });
  const disk = (second: number, status: Status): Batch => ({
    timestamp: new Date(second * 1000).toISOString(),
    host: 'h',
    results: [
      {
        name: 'disk',
        instance: '/srv/data',
        status,
        metrics: {},
        details: '',
        timestamp: '',
        host: 'h',
        durationMs: 0,
      },
      { name: 'ram', status: 'OK', metrics: {}, details: '', timestamp: '', host: 'h', durationMs: 0 },
    ],
  });
  const first = make();
  first.observe(disk(0, 'CRIT'));
  assert.deepEqual(first.firing(30), [], 'pending is not firing');
  first.observe(disk(60, 'CRIT'));
  const [carried, ...rest] = make().firing(120);
  assert.deepEqual(rest, []);
  assert.deepEqual(
    [carried?.kind, carried?.key, carried?.check, carried?.instance, carried?.status, carried?.startsAt, carried?.at],
    ['firing', 'disk//srv/data', 'disk', '/srv/data', 'CRIT', 0, 120],
  );
});
