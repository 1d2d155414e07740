import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../schema/duration.ts';
import { didYouMean } from './did-you-mean.ts';
import { knownKeysAt } from './schema.ts';
import { dotPath, validateConfig } from './validate.ts';

test('validateConfig() fills every default into an empty config', () => {
  const result = validateConfig({});
  assert.ok(result.ok);
  assert.deepEqual(result.config.enabled_checks, ['cpu', 'ram', 'disk', 'network']);
  assert.equal(result.config.poll_interval, 60);
  assert.equal(result.config.output_format, 'table');
  assert.equal(result.config.log_level, 'INFO');
  assert.equal(result.config.sample_window, 0.2);
  assert.equal(result.config.checks.disk.mount_timeout, 5);
});

test('validateConfig() accepts durations, any-case log levels and both threshold forms', () => {
  const result = validateConfig({
    poll_interval: '1m30s',
    log_level: 'warn',
    sample_window: '150ms',
    thresholds: {
      cpu: { warn: 80, crit: '~:95' },
      disk: { free_percent: { crit: '10:' }, instances: { '/': { warn: 70 } } },
    },
  });
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.config.poll_interval, 90);
  assert.equal(result.config.log_level, 'WARNING');
  assert.equal(result.config.sample_window, 0.15);
});

const REJECTED = [
  {
    name: 'an unknown top-level key, with a guess',
    raw: { intervall: 10, poll_intervall: 5 },
    error: 'poll_intervall: unknown key "poll_intervall"; did you mean "poll_interval"?',
  },
  {
    name: 'an unknown check',
    raw: { checks: { dsik: {} } },
    error: 'checks.dsik: unknown key "dsik"; did you mean "disk"?',
  },
  {
    name: 'an unknown check in enabled_checks',
    raw: { enabled_checks: ['cpu', 'rma'] },
    error:
      'enabled_checks[1]: must be one of cpu, ram, disk, network, gpu, temperature, procs, command; did you mean "ram"?',
  },
  {
    name: 'a bad duration',
    raw: { poll_interval: 'soon' },
    error: 'poll_interval: must be a non-negative number of seconds',
  },
  {
    name: 'a too short interval',
    raw: { poll_interval: 0.01 },
    error: 'poll_interval: must be at least 100ms (got 0.01)',
  },
  // Past Node's timer limit (24.8 days) a timeout fires after 1 ms: 30d ran ~3,000 cycles in 4 s before.
  {
    name: 'an interval past a day',
    raw: { poll_interval: '30d' },
    error: 'poll_interval: must be at most 1d (got "30d")',
  },
  {
    name: 'a command timeout past an hour',
    raw: { checks: { command: [{ name: 'x', argv: ['/bin/true'], timeout_seconds: 1e12 }] } },
    error: 'checks.command[0].timeout_seconds: must be at most 1h (got 1000000000000)',
  },
  {
    name: 'a check timeout past an hour',
    raw: { checks: { cpu: { timeout: '2h' } } },
    error: 'checks.cpu.timeout: must be at most 1h',
  },
  {
    name: 'a retention under an hour',
    raw: { storage: { sqlite: { retention: '10m' } } },
    error: 'must be at least 1h',
  },
  { name: 'a repeat interval past 30 days', raw: { alerts: { repeat_interval: '31d' } }, error: 'must be at most 30d' },
  { name: 'a NUL byte in a path', raw: { log_file: 'a\u0000b' }, error: 'log_file: cannot hold a NUL character' },
  { name: 'an empty log file path', raw: { log_file: '' }, error: 'log_file: must be a path (got an empty string)' },
  {
    name: 'a NUL byte in a plugin argument',
    raw: { checks: { command: [{ name: 'x', argv: ['/bin/echo', 'a\u0000'] }] } },
    error: 'checks.command[0].argv[1]: cannot hold a NUL character',
  },
  {
    name: 'an environment variable name with "="',
    raw: { checks: { command: [{ name: 'x', argv: ['/bin/true'], env: { 'A=B': 'c' } }] } },
    error: 'must be a variable name',
  },
  {
    name: 'an SMTP host with a port',
    raw: {
      alerts: { notify: [{ type: 'email', name: 'm', host: 'smtp.example.org:25', from: 'a@b.cc', to: ['a@b.cc'] }] },
    },
    error: 'alerts.notify[0].host: must be a host name or an IP address',
  },
  {
    name: 'a bad log level',
    raw: { log_level: 'loud' },
    error: 'log_level: must be one of DEBUG, INFO, WARNING, ERROR',
  },
  {
    name: 'a bad Nagios range',
    raw: { thresholds: { ram: { crit: '20:10' } } },
    error: 'thresholds.ram.crit: must be a Nagios range',
  },
  {
    name: 'an unknown metric',
    raw: { thresholds: { ram: { used: { warn: 1 } } } },
    error: 'thresholds.ram.used: unknown key "used"',
  },
  {
    name: 'a wrong type',
    raw: { checks: { cpu: { per_core: 'yes' } } },
    error: 'checks.cpu.per_core: must be boolean (got "yes")',
  },
  { name: 'a bad check option', raw: { checks: { disk: { max_probes: 0 } } }, error: 'checks.disk.max_probes' },
];

for (const { name, raw, error } of REJECTED) {
  test(`validateConfig() rejects ${name}`, () => {
    const result = validateConfig(raw);
    assert.equal(result.ok, false);
    const messages = result.ok ? [] : result.issues.map((issue) => `${dotPath(issue.path)}: ${issue.message}`);
    assert.ok(
      messages.some((message) => message.includes(error)),
      messages.join('\n'),
    );
  });
}

test('validateConfig() reports every problem at once', () => {
  const result = validateConfig({ poll_interval: 'x', output_format: 'xml', log_level: 1 });
  assert.equal(result.ok ? 0 : result.issues.length, 3);
});

test('validateConfig() warns when a check timeout exceeds the interval', () => {
  const result = validateConfig({ poll_interval: 5, checks: { disk: { timeout: 30 } } });
  assert.ok(result.ok);
  assert.deepEqual(result.warnings, [
    'checks.disk.timeout: 30s is longer than poll_interval (5s); cycles will be skipped while it runs',
  ]);
});

test('knownKeysAt() walks optional, piped and record schemas', () => {
  assert.ok(knownKeysAt([]).includes('poll_interval'));
  assert.ok(knownKeysAt(['checks', 'disk']).includes('mount_timeout'));
  assert.ok(knownKeysAt(['thresholds', 'disk', 'instances', '/var']).includes('free_percent'));
  assert.deepEqual(knownKeysAt(['enabled_checks']), []);
});

test('didYouMean() finds close words and gives up on distant ones', () => {
  assert.equal(didYouMean('dsik', ['cpu', 'disk']), 'disk');
  assert.equal(didYouMean('CPU', ['cpu']), 'cpu');
  assert.equal(didYouMean('zzzzzz', ['cpu', 'disk']), undefined);
});

test('parseDuration() reads seconds and unit strings', () => {
  assert.equal(parseDuration('45'), 45);
  assert.equal(parseDuration('200ms'), 0.2);
  assert.equal(parseDuration('1h30m'), 5400);
  assert.equal(parseDuration('7d'), 604800);
  assert.equal(parseDuration('5 minutes'), undefined);
});

test('validateConfig() checks sinks by type, with their own options', () => {
  const ok = validateConfig({ sinks: [{ type: 'csv', path: '/var/log/argus/results.csv', name: 'main' }] });
  assert.ok(ok.ok);
  assert.equal(ok.config.sinks[0]?.max_bytes, 50 * 1024 * 1024);
  const messages = (raw: unknown) => {
    const result = validateConfig(raw);
    return result.ok ? '' : result.issues.map((issue) => `${dotPath(issue.path)}: ${issue.message}`).join('\n');
  };
  assert.match(messages({ sinks: [{ type: 'kafka' }] }), /sinks\[0\]\.type: must be one of csv/);
  assert.match(
    messages({ sinks: [{ type: 'csv', path: 'x', max_byte: 5 }] }),
    /sinks\[0\]\.max_byte: unknown key "max_byte"; did you mean "max_bytes"\?/,
  );
  assert.equal(messages({ sinks: [{ type: 'csv' }] }), 'sinks[0].path: required key "path" is missing');
  assert.match(
    messages({ sinks: [{ type: 'csv', path: 'x', name: 'no spaces' }] }),
    /sinks\[0\]\.name: must be 1-64 letters/,
  );
});
