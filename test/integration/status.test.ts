import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILT_CLI, isolatedEnv, REPO, runCli, startCli } from '../helpers/cli.ts';

interface StatusDocument {
  status: string;
  host: string;
  results: {
    name: string;
    instance?: string;
    status: string;
    metrics: Record<string, number>;
    details: string;
    timestamp: string;
    host: string;
  }[];
}

test('argus status --once -o json reports the default checks of this host', async () => {
  const run = await runCli(['status', '--once', '-o', 'json'], { cwd: REPO });
  assert.equal(run.code, 0, run.stderr);
  const documents = run.stdout.trim().split('\n');
  assert.equal(documents.length, 1);
  const document = JSON.parse(documents[0] ?? '') as StatusDocument;
  assert.deepEqual([...new Set(document.results.map((result) => result.name))], ['cpu', 'ram', 'disk', 'network']);
  for (const result of document.results) {
    assert.ok(['OK', 'WARN', 'CRIT', 'UNKNOWN'].includes(result.status));
    assert.ok(!Number.isNaN(Date.parse(result.timestamp)));
    assert.equal(result.host, document.host);
    assert.ok(result.details.length > 0);
  }
  const cpu = document.results.find((result) => result.name === 'cpu');
  assert.ok((cpu?.metrics.usage_percent ?? -1) >= 0, 'cpu has its busy share from two samples');
  assert.ok(document.results.some((result) => result.name === 'disk' && result.instance === '/'));
});

test('argus status --once prints a table on a pipe, with no escape codes, and logs only to stderr', async () => {
  const run = await runCli(['status', '--once', '--checks', 'ram,disk', '--log-level', 'debug']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /CHECK +│ INSTANCE +│ STATUS +│ DETAILS/);
  assert.match(run.stdout, /│ ram +│ +│ (OK|WARN|CRIT) +│ [\d.]+% used/);
  assert.ok(!run.stdout.includes('\x1b['));
  assert.doesNotMatch(run.stdout, /DEBUG/);
  assert.match(run.stderr, /DEBUG +argus\.config: config loaded/);
});

test('argus status exits 0 within 2 s of SIGTERM or SIGINT, mid-loop', async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const cli = startCli(['status', '-i', '1', '-o', 'json', '--checks', 'cpu,ram,disk,network']);
    await cli.waitForOutput((stdout) => stdout.split('\n').filter(Boolean).length >= 2);
    const sent = Date.now();
    cli.child.kill(signal);
    const run = await cli.finished;
    assert.equal(run.code, 0, `${signal}: ${run.stderr}`);
    assert.ok(Date.now() - sent < 2000, `${signal} took ${Date.now() - sent} ms`);
  }
});

test('argus status reloads on SIGHUP and keeps the old config when the new one is invalid', async () => {
  const env = isolatedEnv();
  const path = join(env.HOME ?? '', 'argus.yaml');
  writeFileSync(path, 'enabled_checks: [ram]\npoll_interval: 0.2\noutput_format: json\n');
  const cli = startCli(['status', '-c', path], { env });
  const lastResults = (stdout: string) =>
    (JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as StatusDocument).results?.map((result) => result.name) ??
    [];
  await cli.waitForOutput((stdout) => stdout.includes('"ram"'));
  writeFileSync(path, 'enabled_checks: [ram, cpu]\npoll_interval: 0.2\noutput_format: json\n');
  cli.child.kill('SIGHUP');
  await cli.waitForOutput((stdout) => lastResults(stdout).includes('cpu'));
  writeFileSync(path, 'enabled_checks: [ram, cpu]\npoll_interval: -1\n');
  cli.child.kill('SIGHUP');
  await cli.waitForOutput((_, stderr) => stderr.includes('reload refused'));
  const lines = cli.output().stdout.split('\n').length;
  await cli.waitForOutput((stdout) => stdout.split('\n').length > lines + 1);
  cli.child.kill('SIGTERM');
  const run = await cli.finished;
  assert.equal(run.code, 0);
  assert.match(run.stderr, /poll_interval: must be/);
  assert.deepEqual(lastResults(run.stdout), ['ram', 'cpu']);
});

test('argus exits 78 with one line per problem and no stack on a bad config, 64 on bad usage', async () => {
  const env = isolatedEnv();
  const path = join(env.HOME ?? '', 'bad.json');
  writeFileSync(
    path,
    '{ "poll_interval": "soon", "enabled_checks": ["cpu", "dsik"], "thresholds": { "ram": { "crit": "9:1" } } }',
  );
  const bad = await runCli(['status', '--once', '-c', path], { env });
  assert.equal(bad.code, 78);
  assert.equal(bad.stderr.split('\n').filter((line) => /bad\.json:1:\d+: /.test(line)).length, 3, bad.stderr);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
  const usage = await runCli(['status', '--interval']);
  assert.equal(usage.code, 64);
  assert.match(usage.stderr, /option '-i, --interval <seconds>' argument missing/);
});

test('argus exits 78 at the line of each malformed URL, host, path or duration, never 70 with a stack', async () => {
  const env = isolatedEnv();
  const path = join(env.HOME ?? '', 'urls.yaml');
  const notifier = (url: string, index: number) => `    - { type: webhook, name: w${index}, url: ${url} }`;
  const urls = ['"https://[::1"', 'https://127.0.0.1:99999/', '""', '"http://[fe80::1%eth0]:80/"'];
  writeFileSync(
    path,
    [
      'poll_interval: 30d',
      'log_file: "a\\0b"',
      'sinks:',
      '  - { type: influxdb, url: "", database: argus }',
      'checks:',
      '  command:',
      '    - { name: big, argv: [/bin/true], timeout_seconds: 1e12 }',
      'alerts:',
      '  notify:',
      ...urls.map(notifier),
      '    - { type: email, name: m, host: "bad host!", from: a@b.cc, to: [a@b.cc] }',
    ].join('\n'),
  );
  const run = await runCli(['status', '--once', '-c', path], { env });
  assert.equal(run.code, 78, run.stderr);
  assert.doesNotMatch(run.stderr, /this is a bug|\n\s+at /);
  const expected = [
    /urls\.yaml:1:16: poll_interval: must be at most 1d/,
    /urls\.yaml:2:11: log_file: cannot hold a NUL character/,
    /urls\.yaml:4:28: sinks\[0\]\.url: must be a URL/,
    /urls\.yaml:7:56: checks\.command\[0\]\.timeout_seconds: must be at most 1h/,
    /urls\.yaml:10:39: alerts\.notify\[0\]\.url: has an IPv6 address without its closing "]"/,
    /urls\.yaml:11:39: alerts\.notify\[1\]\.url: has port 99999: a port is 1-65535/,
    /urls\.yaml:12:39: alerts\.notify\[2\]\.url: must be a URL/,
    /urls\.yaml:13:39: alerts\.notify\[3\]\.url: cannot hold an IPv6 zone id/,
    /urls\.yaml:14:37: alerts\.notify\[4\]\.host: must be a host name or an IP address/,
  ];
  for (const line of expected) assert.match(run.stderr, line);
});

test('argus status --once writes the configured CSV sink, and an unwritable sink path is a config error', async () => {
  const env = isolatedEnv();
  const dir = env.HOME ?? '';
  const csv = join(dir, 'history', 'results.csv');
  writeFileSync(join(dir, 'argus.yaml'), `sinks:\n  - type: csv\n    path: ${csv}\n`);
  const run = await runCli(['status', '--once', '-o', 'json', '--checks', 'ram,disk', '-c', join(dir, 'argus.yaml')], {
    env,
  });
  assert.equal(run.code, 0, run.stderr);
  const rows = readFileSync(csv, 'utf8').trim().split('\r\n');
  assert.equal(rows[0], 'timestamp,host,check,instance,status,metric,value,details');
  assert.ok(
    rows.some((row) => /,ram,,OK,used_percent,[\d.]+,/.test(row)),
    rows.slice(0, 3).join('\n'),
  );
  writeFileSync(join(dir, 'blocked'), '');
  writeFileSync(join(dir, 'bad.yaml'), `sinks:\n  - type: csv\n    path: ${join(dir, 'blocked', 'r.csv')}\n`);
  const bad = await runCli(['status', '--once', '-c', join(dir, 'bad.yaml')], { env });
  assert.equal(bad.code, 78);
  assert.match(bad.stderr, /^argus: Cannot start sink "csv#0": (EEXIST|ENOTDIR)/);
  assert.doesNotMatch(bad.stderr, /this is a bug/);
});

test('the status loop fires and audits an alert once a threshold holds for the configured cycles', async () => {
  const env = isolatedEnv();
  const dir = env.HOME ?? '';
  writeFileSync(
    join(dir, 'argus.yaml'),
    'enabled_checks: [ram]\npoll_interval: 0.2\noutput_format: json\nthresholds:\n  ram: { warn: "@0:100" }\nalerts:\n  for_cycles: 2\n',
  );
  const cli = startCli(['status', '-c', join(dir, 'argus.yaml')], { env });
  await cli.waitForOutput((_, stderr) => stderr.includes('alert firing'));
  cli.child.kill('SIGTERM');
  const run = await cli.finished;
  assert.equal(run.code, 0);
  assert.match(run.stderr, /WARNING argus\.alerts: alert firing: ram OK → WARN: /);
  const audit = readFileSync(join(env.XDG_STATE_HOME ?? '', 'argus', 'audit.log'), 'utf8');
  assert.match(audit, /"event":"alert","kind":"firing","key":"ram","status":"WARN","previous":"OK"/);
  const state = JSON.parse(readFileSync(join(env.XDG_STATE_HOME ?? '', 'argus', 'alerts.json'), 'utf8')) as {
    ram?: { notified: string };
  };
  assert.equal(state.ram?.notified, 'WARN');
});

test('argus status ends quietly with exit 0 when the reader of its output goes away', async () => {
  const { spawn } = await import('node:child_process');
  const argus = spawn(process.execPath, [BUILT_CLI, 'status', '-i', '0.1', '-o', 'json', '--checks', 'ram'], {
    env: isolatedEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  argus.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Like `argus status -o json | head -1`: the reader takes one document and hangs up.
  argus.stdout.once('data', () => argus.stdout.destroy());
  const code = await new Promise((resolve) => argus.on('close', resolve));
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /EPIPE|this is a bug/);
});

test("the status loop's heap is never shrunk by V8's memory reducer, in either isolate (loop-v8-flags.ts)", async () => {
  // V8 arms the reducer in its first seconds and fires it 8 s later; --trace-gc names the GCs it runs.
  const cli = startCli(['status', '-i', '1', '-o', 'json', '--checks', 'ram'], {
    command: [process.execPath, '--trace-gc', '--trace-gc-verbose', BUILT_CLI],
  });
  await new Promise((resolve) => setTimeout(resolve, 10_500));
  cli.child.kill('SIGTERM');
  const run = await cli.finished;
  assert.equal(run.code, 0, run.stderr);
  const trace = run.stdout.split('\n').filter((line) => line.startsWith('['));
  assert.ok(
    trace.some((line) => line.includes('Memory reducer: waiting')),
    'the reducer was armed and its timer came',
  );
  assert.deepEqual(
    trace.filter((line) => /Memory reducer: started|\(reduce\)/.test(line)),
    [],
  );
});

// process.stderr writes to a pipe asynchronously and process.exit() drops what is queued (nodejs/node#6456): 20,000
// problems piped to a reader that was not quick enough arrived as 253 lines.
test('argus prints every problem of a large config through a pipe whose reader starts late', async () => {
  const env = isolatedEnv();
  const path = join(env.HOME ?? '', 'many.yaml');
  writeFileSync(path, Array.from({ length: 20_000 }, (_, index) => `k${index}: 1`).join('\n'));
  const child = spawn(process.execPath, [BUILT_CLI, 'config', 'check', '-c', path], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.pause();
  await new Promise((resolve) => setTimeout(resolve, 300));
  let text = '';
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.resume();
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 78);
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 20_002);
  assert.match(lines.at(-1) ?? '', /hint: fix the lines above/);
});
