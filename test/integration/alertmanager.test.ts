import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isolatedEnv, startCli } from '../helpers/cli.ts';
import { eventually } from '../helpers/eventually.ts';
import { freePort } from '../helpers/loopback-receiver.ts';

const ALERTMANAGER = ['/usr/bin/prometheus-alertmanager', '/usr/bin/alertmanager'].find(
  (path) => spawnSync(path, ['--version']).status === 0,
);

interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string };
}

/** Debian's Alertmanager on loopback, no clustering, its data in `dir` (kept across a restart, as in production). */
async function startAlertmanager(dir: string, port: number): Promise<ChildProcess> {
  writeFileSync(join(dir, 'alertmanager.yml'), "route: { receiver: 'null' }\nreceivers: [{ name: 'null' }]\n");
  const child = spawn(
    ALERTMANAGER!,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: 'ignore' },
  );
  for (let tries = 0; tries < 200; tries++) {
    const ready = await fetch(`http://127.0.0.1:${port}/-/ready`).catch(() => undefined);
    if (ready?.status === 200) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('alertmanager did not start');
}

/** .ci/run installs Debian's prometheus-alertmanager; a developer machine without it skips, CI never does. */
function requireAlertmanager(t: { skip(message: string): void }): boolean {
  if (ALERTMANAGER) return true;
  assert.ok(!process.env.CI, "CI must have Alertmanager (.ci/run installs Debian's prometheus-alertmanager)");
  t.skip('alertmanager is not installed');
  return false;
}

/**
 * A status loop whose one check is a command exiting with `exit` (2: CRITICAL, or a shell expression), firing
 * after one cycle, to the Alertmanager on `port`; the notifier entry gets `extra` (", resend_interval: 1").
 */
function statusConfig(env: NodeJS.ProcessEnv, port: number, exit: string, extra = ''): string {
  const config = join(env.HOME!, 'argus.yaml');
  writeFileSync(
    config,
    [
      'enabled_checks: [command]',
      'poll_interval: 0.5',
      'output_format: json',
      'checks:',
      '  command:',
      `    - { name: flag, argv: [sh, -c, 'echo "FLAG state"; exit ${exit}'] }`,
      'alerts:',
      '  for_cycles: 1',
      '  notify:',
      `    - { type: alertmanager, name: am, url: "http://127.0.0.1:${port}", allow_insecure_http: true${extra} }`,
      '',
    ].join('\n'),
  );
  return config;
}

const alertsOf = async (port: number): Promise<AmAlert[]> =>
  (await (await fetch(`http://127.0.0.1:${port}/api/v2/alerts`)).json()) as AmAlert[];

test('alerts reach a real Alertmanager with their labels, across its outage, and resolve', async (t) => {
  if (!requireAlertmanager(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'argus-am-'));
  const port = await freePort();
  const env = isolatedEnv();
  const flag = join(dir, 'exit-code');
  writeFileSync(flag, '2');
  const config = statusConfig(env, port, `$(cat ${flag})`);
  // Alertmanager is down when the alert fires: it waits in the outbox, retried with backoff.
  const cli = startCli(['status', '-c', config], { env });
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const alertmanager = await startAlertmanager(dir, port);
  try {
    let alerts: AmAlert[] = [];
    await eventually(async () => (alerts = await alertsOf(port)).length > 0, 'the alert in Alertmanager', 30_000);
    const [alert] = alerts;
    assert.ok(alert?.labels.host);
    assert.deepEqual(alert.labels, {
      alertname: 'ArgusCommand',
      host: alert.labels.host,
      check: 'command',
      instance: 'flag',
      severity: 'critical',
    });
    assert.match(alert.annotations.description ?? '', /FLAG state/);
    assert.equal(alert.status.state, 'active');

    // Resolved: gone from Alertmanager's active alerts long before the 3 minutes after which it would go stale.
    writeFileSync(flag, '0');
    await eventually(async () => (await alertsOf(port)).length === 0, 'the alert resolved', 15_000);
    assert.match(cli.output().stderr, /notifier "am" failed, will retry/, 'the first attempts met the outage');
  } finally {
    cli.child.kill('SIGTERM');
    await cli.finished;
    alertmanager.kill('SIGTERM');
  }
});

test('an alert still firing when Argus restarts keeps being refreshed in Alertmanager', async (t) => {
  if (!requireAlertmanager(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'argus-am-'));
  const port = await freePort();
  const env = isolatedEnv();
  // resend_interval 1 s: Alertmanager ends an alert 3 s after the last post unless it is posted again.
  const config = statusConfig(env, port, '2', ', resend_interval: 1');
  const alertmanager = await startAlertmanager(dir, port);
  const endsAt = async (): Promise<number> => {
    const [alert] = (await alertsOf(port)) as (AmAlert & { endsAt: string })[];
    return alert ? Date.parse(alert.endsAt) : 0;
  };
  let cli = startCli(['status', '-c', config], { env });
  try {
    await eventually(async () => (await endsAt()) > 0, 'the alert in Alertmanager', 30_000);
    cli.child.kill('SIGTERM');
    await cli.finished;
    // Restarted: the alert fired before, so no cycle notifies it again; the state file says it fires.
    const restartedAt = Date.now();
    cli = startCli(['status', '-c', config], { env });
    await eventually(
      async () => (await endsAt()) > restartedAt + 3000,
      'a post after the restart (its endsAt is 3 s after it)',
      20_000,
    );
    const [alert] = await alertsOf(port);
    assert.equal(alert?.status.state, 'active');
  } finally {
    cli.child.kill('SIGTERM');
    await cli.finished;
    alertmanager.kill('SIGTERM');
  }
});
