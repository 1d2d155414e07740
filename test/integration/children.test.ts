import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isolatedEnv, runCli, startCli } from '../helpers/cli.ts';
import { freePort } from '../helpers/loopback-receiver.ts';

/** PIDs whose command line holds the text: each test's sleeps carry a number no other process uses. */
function processesWith(text: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\u0000', ' ').includes(text))
        found.push(Number(name));
    } catch {
      // gone
    }
  }
  return found;
}

const unique = (): string => `${1000 + Math.floor(Math.random() * 8000)}.${Date.now() % 1000}`;

function commandConfig(dir: string, name: string, argv: string[], extra = ''): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `enabled_checks: [command]\npoll_interval: 1\n${extra}checks:\n  command:\n    - { name: ${name}, argv: ${JSON.stringify(argv)}, timeout_seconds: 1 }\n`,
  );
  return path;
}

// Before: SIGTERM to the agent left an in-flight `/bin/sleep 77` running under PID 1.
test('argus agent stops a command check that is still running when it gets SIGTERM', async () => {
  const env = isolatedEnv();
  const seconds = unique();
  const port = await freePort();
  const path = join(env.HOME ?? '', 'agent.yaml');
  writeFileSync(
    path,
    `enabled_checks: [command]\nserver: { listen: "127.0.0.1:${port}" }\nchecks:\n  command:\n    - { name: sleepy, argv: [/bin/sleep, "${seconds}"], timeout_seconds: 100 }\n`,
  );
  const cli = startCli(['agent', '--no-history', '-c', path], { env });
  for (let tries = 0; tries < 500 && processesWith(`sleep ${seconds}`).length === 0; tries += 1)
    await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(processesWith(`sleep ${seconds}`).length, 1, 'the plugin runs');
  cli.child.kill('SIGTERM');
  const run = await cli.finished;
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(processesWith(`sleep ${seconds}`), [], 'nothing left behind');
});

// Before: `status --once` exited before the SIGKILL that follows a plugin's ignored SIGTERM.
test('argus status --once waits out the grace and SIGKILLs a timed-out plugin that ignores SIGTERM', async () => {
  const env = isolatedEnv();
  const seconds = unique();
  const path = commandConfig(env.HOME ?? '', 'stubborn', ['sh', '-c', `trap "" TERM; sleep ${seconds} & wait`]);
  const run = await runCli(['status', '--once', '-o', 'json', '-c', path], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /stubborn: timeout after 1s/);
  assert.deepEqual(processesWith(`sleep ${seconds}`), []);
});

// Before: the setsid() grandchild kept the pipes open; every cycle said "previous run is still running".
test('the status loop gets a plugin answer at once and kills the setsid() grandchild it left', async () => {
  const env = isolatedEnv();
  const seconds = unique();
  const path = commandConfig(
    env.HOME ?? '',
    'escape',
    ['sh', '-c', `( setsid sleep ${seconds} & ); echo "OK - fine"`],
    'output_format: json\n',
  );
  const cli = startCli(['status', '--no-history', '-c', path], { env });
  await cli.waitForOutput((stdout) => stdout.trim().split('\n').length >= 3, 20_000);
  cli.child.kill('SIGTERM');
  const run = await cli.finished;
  assert.equal(run.code, 0, run.stderr);
  const details = run.stdout
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { results: { details: string }[] }).results[0]?.details);
  assert.deepEqual(details.slice(0, 3), ['escape: OK - fine', 'escape: OK - fine', 'escape: OK - fine']);
  assert.deepEqual(processesWith(`sleep ${seconds}`), []);
});

test('argus check (Nagios mode) leaves no plugin behind after its own timeout', async () => {
  const env = isolatedEnv();
  const seconds = unique();
  const path = commandConfig(env.HOME ?? '', 'stuck', ['sh', '-c', `trap "" TERM; sleep ${seconds} & wait`]);
  const run = await runCli(['check', 'command', '--config', path], { env });
  assert.equal(run.code, 3, run.stdout + run.stderr);
  assert.match(run.stdout, /^COMMAND UNKNOWN - stuck: timeout after 1s/);
  assert.deepEqual(processesWith(`sleep ${seconds}`), []);
});
