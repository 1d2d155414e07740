import { stopAllCommands } from '../platform/run-command.ts';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as v from 'valibot';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { parsePluginOutput } from '../collect/plugin-output.ts';
import { validateConfig } from '../config/validate.ts';
import type { Reading } from './check.ts';
import { commandCheck } from './command.ts';

const PLUGINS = '/usr/lib/nagios/plugins';
const hasPlugins = existsSync(join(PLUGINS, 'check_load'));
// In CI (.ci/run installs them) a missing plugin is a failure, not a skip.
const skipWithoutPlugins =
  !hasPlugins &&
  process.env.CI !== 'true' &&
  "Debian's monitoring-plugins-basic is not installed (.ci/run installs it)";

async function run(commands: unknown[]): Promise<Reading[]> {
  const collect = commandCheck.create(v.parse(commandCheck.options, { commands }));
  return collect({ host: fixtureHost('vm-basic'), signal: new AbortController().signal, monotonicMs: () => 0 });
}

const STATUS_BY_EXIT = ['OK', 'WARN', 'CRIT', 'UNKNOWN'];

test(
  'command check gives the same status and perfdata as real monitoring plugins',
  { skip: skipWithoutPlugins },
  async () => {
    const plugins = [
      { name: 'load', argv: [join(PLUGINS, 'check_load'), '-w', '5,4,3', '-c', '10,8,6'] },
      { name: 'root', argv: [join(PLUGINS, 'check_disk'), '-w', '20%', '-c', '10%', '-p', '/'] },
      { name: 'swap', argv: [join(PLUGINS, 'check_swap'), '-w', '50%', '-c', '25%'] },
      { name: 'procs', argv: [join(PLUGINS, 'check_procs'), '-w', '1', '-c', '100000'] },
    ];
    const readings = await run(plugins);
    for (const [index, plugin] of plugins.entries()) {
      const direct = spawnSync(plugin.argv[0] ?? '', plugin.argv.slice(1), {
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' },
      });
      const reading = readings[index];
      assert.equal(reading?.verdict?.status, STATUS_BY_EXIT[direct.status ?? 3], plugin.name);
      const expected = parsePluginOutput(direct.stdout);
      assert.deepEqual(
        Object.keys(reading?.metrics ?? {}),
        expected.perfdata.map((item) => item.label),
        plugin.name,
      );
      assert.ok(
        reading?.verdict?.details.startsWith(`${plugin.name}: ${expected.text.split(' ')[0] ?? ''}`),
        reading?.verdict?.details,
      );
    }
    assert.equal(readings[3]?.verdict?.status, 'WARN', 'check_procs -w 1 warns on any host');
  },
);

test('command check kills a plugin that hangs, with its children, and reports UNKNOWN', async () => {
  // Durations unique to this run, so pgrep cannot match another test's sleep (the fake nvidia-smi sleeps 60 s too).
  const seconds = `${60 + (process.pid % 997)}.${Date.now() % 1000}`;
  const marker = `argus-hang-${process.pid}`;
  const started = Date.now();
  const [reading] = await run([
    { name: 'hang', argv: ['sh', '-c', `sleep ${seconds} & exec sleep ${seconds}1`, marker], timeout_seconds: 0.3 },
  ]);
  assert.deepEqual(reading?.verdict, { status: 'UNKNOWN', details: 'hang: timeout after 0.3s' });
  assert.ok(Date.now() - started < 3000);
  // The timed-out plugin's tree is being stopped (SIGTERM, SIGKILL after the grace): wait for that, not a guess.
  await stopAllCommands();
  assert.equal(
    spawnSync('pgrep', ['-f', `sleep ${seconds}`])
      .stdout.toString()
      .trim(),
    '',
    'the whole group is gone',
  );
});

test('command check never uses a shell, passes a minimal environment and maps odd exits to UNKNOWN', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-cmd-'));
  const hostile = `$(touch ${join(dir, 'pwned')}); echo "quoted" 'x'\nsecond line`;
  const [echo, env, exit4, missing, silent] = await run([
    { name: 'echo', argv: ['/bin/echo', hostile] },
    {
      name: 'env',
      argv: [process.execPath, '-e', 'console.log(Object.keys(process.env).sort().join(" "))'],
      env: { ARGUS_PROBE: 'yes' },
    },
    { name: 'exit4', argv: ['sh', '-c', 'echo "odd"; exit 4'] },
    { name: 'missing', argv: ['/nonexistent/check_nothing'] },
    { name: 'silent', argv: ['sh', '-c', 'echo "to stderr" >&2; exit 2'] },
  ]);
  assert.equal(echo?.verdict?.details, `echo: $(touch ${join(dir, 'pwned')}); echo "quoted" 'x'`);
  assert.equal(existsSync(join(dir, 'pwned')), false, 'nothing was executed');
  // Node adds NODE_V8_COVERAGE to every child while c8 measures coverage; outside tests it is not set.
  const passed = (env?.verdict?.details ?? '').replace(' NODE_V8_COVERAGE', '');
  // ARGUS_RUN is the marker that finds the plugin's stray descendants (platform/process-marker.ts).
  assert.equal(passed, 'env: ARGUS_PROBE ARGUS_RUN LANG LC_ALL PATH', 'nothing of our own environment leaks');
  assert.deepEqual(exit4?.verdict, { status: 'UNKNOWN', details: 'exit4: odd (exit code 4)' });
  assert.deepEqual(missing?.verdict, {
    status: 'UNKNOWN',
    details: 'missing: cannot run "/nonexistent/check_nothing": not found',
  });
  assert.deepEqual(silent?.verdict, { status: 'CRIT', details: 'silent: to stderr' });
});

test('command check caps output and refuses to start a second run while one is stuck', async () => {
  const [big] = await run([
    { name: 'big', argv: ['sh', '-c', 'head -c 2000000 /dev/zero | tr "\\0" "a"; echo'], max_output_bytes: 1024 },
  ]);
  assert.equal(big?.verdict?.details.length, 'big: '.length + 1024);
  const collect = commandCheck.create(
    v.parse(commandCheck.options, {
      commands: [{ name: 'stuck', argv: ['sh', '-c', 'trap "" TERM; sleep 5'], timeout_seconds: 0.2 }],
    }),
  );
  const context = { host: fixtureHost('vm-basic'), signal: new AbortController().signal, monotonicMs: () => 0 };
  assert.equal((await collect(context))[0]?.verdict?.details, 'stuck: timeout after 0.2s');
  assert.equal(
    (await collect(context))[0]?.verdict?.details,
    'stuck: previous run is still running',
    'SIGTERM was ignored; SIGKILL comes after 2 s',
  );
});

test('the config takes checks.command as a list and rejects duplicate names', () => {
  const ok = validateConfig({
    enabled_checks: ['command'],
    checks: {
      command: [{ name: 'load', argv: ['/usr/lib/nagios/plugins/check_load', '-w', '5,4,3', '-c', '10,8,6'] }],
    },
  });
  assert.ok(ok.ok, JSON.stringify(ok));
  assert.equal(
    (ok.config.checks.command as unknown as { commands: { timeout_seconds: number }[] }).commands[0]?.timeout_seconds,
    10,
  );
  const duplicate = validateConfig({
    checks: {
      command: [
        { name: 'a', argv: ['x'] },
        { name: 'a', argv: ['y'] },
      ],
    },
  });
  assert.ok(!duplicate.ok && duplicate.issues.some((issue) => issue.message === 'command names must be unique'));
  const empty = validateConfig({ checks: { command: [{ name: 'a', argv: [] }] } });
  assert.ok(!empty.ok && empty.issues.some((issue) => issue.message === 'needs the program to run'));
  assert.equal(commandCheck.defaultTimeoutSeconds?.({ commands: [] }), 4);
});
