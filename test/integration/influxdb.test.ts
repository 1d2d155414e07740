import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isolatedEnv, startCli } from '../helpers/cli.ts';
import { freePort } from '../helpers/loopback-receiver.ts';

const hasInfluxd = spawnSync('sh', ['-c', 'command -v influxd']).status === 0;

/** Debian's influxdb 1.6 on loopback ports with its own temp dirs, as a user would run it; no reporting. */
async function startInfluxd(dir: string, httpPort: number, rpcPort: number): Promise<ChildProcess> {
  const config = join(dir, 'influxdb.conf');
  writeFileSync(
    config,
    `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:${httpPort}"
  log-enabled = false
[monitor]
  store-enabled = false
`,
  );
  const child = spawn('influxd', ['-config', config], { stdio: 'ignore' });
  const started = Date.now();
  for (;;) {
    const ping = await fetch(`http://127.0.0.1:${httpPort}/ping`).catch(() => undefined);
    if (ping?.status === 204) return child;
    assert.ok(Date.now() - started < 30_000, 'influxd did not start within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const stopProcess = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

async function influxQuery(port: number, query: string): Promise<{ columns: string[]; values: unknown[][] }> {
  const url = `http://127.0.0.1:${port}/query?db=argus&epoch=ms&q=${encodeURIComponent(query)}`;
  const body = (await (await fetch(url)).json()) as {
    results: { series?: { columns: string[]; values: unknown[][] }[] }[];
  };
  return body.results[0]?.series?.[0] ?? { columns: [], values: [] };
}

interface Cycle {
  results: { name: string; instance?: string; timestamp: string; metrics: Record<string, number>; status: string }[];
}

test('the influxdb sink delivers every point to a real InfluxDB, also across an outage, in order', async (t) => {
  if (!hasInfluxd) {
    assert.ok(!process.env.CI, "CI must have influxd (.ci/run installs Debian's influxdb package)");
    t.skip('influxd is not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'argus-influxd-'));
  const httpPort = await freePort();
  const rpcPort = await freePort();
  let influxd = await startInfluxd(dir, httpPort, rpcPort);
  await fetch(`http://127.0.0.1:${httpPort}/query?q=${encodeURIComponent('CREATE DATABASE argus')}`, {
    method: 'POST',
  });

  const env = isolatedEnv();
  const config = join(env.HOME ?? '', 'argus.yaml');
  writeFileSync(
    config,
    `enabled_checks: [ram, disk]\nsinks:\n  - type: influxdb\n    name: influx\n    url: http://127.0.0.1:${httpPort}\n    database: argus\n    timeout_seconds: 2\n`,
  );
  const cli = startCli(['status', '-i', '1', '-o', 'json', '--no-history', '-c', config], { env });
  const cycles = (): Cycle[] =>
    cli
      .output()
      .stdout.split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Cycle);
  try {
    await cli.waitForOutput((stdout) => stdout.split('\n').filter(Boolean).length >= 3);
    await stopProcess(influxd); // the outage: cycles go on, points wait in the outbox on disk
    const before = cycles().length;
    await cli.waitForOutput((stdout) => stdout.split('\n').filter(Boolean).length >= before + 4);
    influxd = await startInfluxd(dir, httpPort, rpcPort);
    // The sender is backing off (full jitter, 1 s doubling): it recovers at its next attempt.
    await cli.waitForOutput((_, stderr) => stderr.includes('InfluxDB delivery works again'), 60_000);
    const after = cycles().length;
    await cli.waitForOutput((stdout) => stdout.split('\n').filter(Boolean).length >= after + 2);
    cli.child.kill('SIGTERM');
    const run = await cli.finished;
    assert.equal(run.code, 0, run.stderr);
    // A stopping influxd may answer 500 before it refuses connections; either way the points wait and retry.
    assert.match(
      run.stderr,
      /cannot deliver to InfluxDB, will retry: (cannot reach http:\/\/127\.0\.0\.1:\d+|http:\/\/127\.0\.0\.1:\d+ answered 5\d\d)/,
    );
    assert.match(run.stderr, /InfluxDB delivery works again/);

    // Everything the loop printed must be in InfluxDB, value for value, at the same millisecond.
    const sent = cycles().flatMap((cycle) => cycle.results.filter((result) => result.name === 'ram'));
    // SIGTERM flushed the outbox before exit 0, so the last cycle is there too.
    const stored = await influxQuery(httpPort, 'SELECT used_percent, status_code FROM argus_ram ORDER BY time');
    const expected = sent.map((result) => [Date.parse(result.timestamp), result.metrics.used_percent, 0]);
    assert.deepEqual(stored.values, expected);
    const times = stored.values.map((row) => row[0] as number);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    const disk = await influxQuery(httpPort, 'SELECT used_percent FROM argus_disk WHERE "instance" = \'/\'');
    assert.ok(disk.values.length > 0, 'disk points carry their mount point as the instance tag');
  } finally {
    cli.child.kill('SIGKILL');
    await stopProcess(influxd);
  }
});
