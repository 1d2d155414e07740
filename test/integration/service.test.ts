import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILT_CLI, isolatedEnv, REPO, runCli } from '../helpers/cli.ts';
import { fakeBin } from '../helpers/fake-bin.ts';

const hasAnalyze = spawnSync('sh', ['-c', 'command -v systemd-analyze']).status === 0;
const isRoot = process.getuid?.() === 0;

test('service install --dry-run prints a unit for the argus that runs, which systemd-analyze verify accepts', async (t) => {
  const run = await runCli(['service', 'install', '--dry-run', '-c', '/etc/argus/agent.yaml', '--user', 'monitor']);
  assert.equal(run.code, 0, run.stderr);
  const unit = run.stdout;
  // No hard-coded prefix: this node and this script, links resolved.
  assert.match(
    unit,
    new RegExp(
      `^ExecStart=${realpathSync(process.execPath)} ${realpathSync(BUILT_CLI)} agent -c /etc/argus/agent.yaml$`,
      'm',
    ),
  );
  assert.match(unit, /^User=monitor$/m);
  assert.match(unit, /^StateDirectory=argus$/m);
  assert.match(unit, /^LogsDirectory=argus$/m);
  assert.match(unit, /^ProtectSystem=strict$/m, 'the hardening of contrib/systemd/argus-agent.service');
  assert.match(run.stderr, /nothing changed/);
  if (!hasAnalyze) {
    assert.ok(!process.env.CI, 'CI must have systemd-analyze (.ci/run installs systemd)');
    t.skip('systemd-analyze is not installed');
    return;
  }
  const file = join(mkdtempSync(join(tmpdir(), 'argus-unit-')), 'argus-agent.service');
  writeFileSync(file, unit);
  const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
  assert.equal(verify.status, 0, verify.stderr);
  assert.equal(verify.stderr.trim(), '', 'no warning either');
});

/** systemctl, id and useradd that log each call; `id` knows no user until useradd has run. */
function fakeSystem() {
  const dir = mkdtempSync(join(tmpdir(), 'argus-system-'));
  const log = join(dir, 'calls.log');
  const made = join(dir, 'user-made');
  const bin = fakeBin({
    systemctl: `echo "systemctl $*" >> '${log}'\ncase "$1" in is-active) echo active;; is-enabled) echo enabled;; esac`,
    useradd: `echo "useradd $*" >> '${log}'\ntouch '${made}'`,
    id: `echo "id $*" >> '${log}'\n[ -e '${made}' ] || exit 1\necho 0`,
  });
  const env = isolatedEnv({ PATH: `${bin}:${process.env.PATH ?? ''}` });
  return { dir, env, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

test('service install creates the user and a config, writes the unit, enables and starts it; uninstall undoes it', async (t) => {
  if (!isRoot) {
    t.skip('install needs root (CI runs as root)');
    return;
  }
  const system = fakeSystem();
  const config = join(system.dir, 'etc', 'argus', 'config.yaml');
  const unitDir = join(system.dir, 'units');
  const install = await runCli(['service', 'install', '-c', config, '--unit-dir', unitDir], { env: system.env });
  assert.equal(install.code, 0, install.stderr);
  assert.deepEqual(system.calls(), [
    'id -u argus',
    'useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin argus',
    'id -g argus',
    'systemctl daemon-reload',
    'systemctl enable --now argus-agent.service',
  ]);
  assert.equal(readFileSync(config, 'utf8'), readFileSync(join(REPO, 'config', 'config.yaml'), 'utf8'));
  assert.equal(statSync(config).mode & 0o777, 0o640, 'the config may hold secrets');
  const unit = readFileSync(join(unitDir, 'argus-agent.service'), 'utf8');
  assert.match(unit, new RegExp(`^ExecStart=.* agent -c ${config}$`, 'm'));

  const status = await runCli(['service', 'status', '--unit-dir', unitDir], { env: system.env });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /\(installed\)\nruns {5}\S+ \S+ agent -c .*\nenabled {2}enabled\nactive {3}active\n/);

  const again = await runCli(['service', 'install', '-c', config, '--unit-dir', unitDir, '--no-start'], {
    env: system.env,
  });
  assert.equal(again.code, 0, again.stderr);
  assert.ok(
    !system
      .calls()
      .slice(5)
      .some((call) => call.startsWith('useradd')),
    'the user exists now',
  );
  assert.equal(system.calls().at(-1), 'systemctl enable argus-agent.service');

  const uninstall = await runCli(['service', 'uninstall', '--unit-dir', unitDir], { env: system.env });
  assert.equal(uninstall.code, 0, uninstall.stderr);
  assert.deepEqual(system.calls().slice(-2), [
    'systemctl disable --now argus-agent.service',
    'systemctl daemon-reload',
  ]);
  assert.ok(!existsSync(join(unitDir, 'argus-agent.service')));
  assert.ok(existsSync(config), 'the config stays');
  assert.match(uninstall.stderr, /stay/);
});

test('service status says what is missing: no unit, no systemd (exit 3); a failed systemctl is exit 69', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'argus-units-'));
  const noSystemd = isolatedEnv({ PATH: fakeBin({}) });
  const status = await runCli(['service', 'status', '--unit-dir', empty], {
    env: noSystemd,
    command: [process.execPath, BUILT_CLI],
  });
  assert.equal(status.code, 3, status.stderr);
  assert.match(status.stdout, /\(not installed\)\nenabled {2}no systemd\nactive {3}no systemd\n/);
  if (!isRoot) return;
  const failing = isolatedEnv({
    PATH: `${fakeBin({ systemctl: 'echo "Failed to connect to bus" >&2; exit 1', id: 'echo 0' })}:${process.env.PATH ?? ''}`,
  });
  const install = await runCli(['service', 'install', '--unit-dir', empty, '-c', join(empty, 'c.yaml')], {
    env: failing,
  });
  assert.equal(install.code, 69);
  assert.match(install.stderr, /systemctl daemon-reload failed \(exit 1\): Failed to connect to bus/);
});

test('service install and uninstall without root exit 77 and say how to run them', (t) => {
  const setpriv = spawnSync('sh', ['-c', 'command -v setpriv']).status === 0;
  // nobody must be able to read the checkout (a clone under /root is not): otherwise there is nothing to ask.
  const readable =
    setpriv &&
    spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'test', '-r', BUILT_CLI]).status === 0;
  if (!isRoot || !readable) {
    t.skip('needs root, setpriv, and a checkout the user nobody can read');
    return;
  }
  for (const verb of ['install', 'uninstall']) {
    // As nobody: the same argus, without the rights it needs.
    const run = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BUILT_CLI, 'service', verb],
      { encoding: 'utf8', env: { ...isolatedEnv(), HOME: '/nonexistent' } },
    );
    assert.equal(run.status, 77, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(
        `argus service ${verb} changes /etc and systemd: it needs root\\n {2}hint: sudo argus service ${verb}`,
      ),
    );
  }
});
