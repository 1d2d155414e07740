import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import bcrypt from 'bcryptjs';
import { BUILT_CLI, isolatedEnv, REPO, runCli, startCli } from '../helpers/cli.ts';
import { freePort, startReceiver } from '../helpers/loopback-receiver.ts';
import { requireCommand, startPrometheus } from '../helpers/prometheus.ts';

async function startAgent(
  config: Record<string, unknown>,
  headers: Record<string, string> = {},
  extraEnv: NodeJS.ProcessEnv = {},
) {
  const env = isolatedEnv(extraEnv);
  const file = join(env.HOME ?? '', 'agent.json');
  const port = await freePort();
  const write = (next: Record<string, unknown>) =>
    writeFileSync(
      file,
      JSON.stringify({
        poll_interval: 1,
        ...next,
        server: { listen: `127.0.0.1:${port}`, ...(next.server as Record<string, unknown> | undefined) },
      }),
    );
  write(config);
  const cli = startCli(['agent', '-c', file], { env });
  await cli.waitForOutput((_, stderr) => /argus\.agent: listening/.test(stderr));
  const base = `http://127.0.0.1:${port}`;
  // The first cycle comes one sample window after start; until then /metrics holds only Argus' own health.
  const started = Date.now();
  while (!(await (await fetch(`${base}/metrics`, { headers })).text()).includes('argus_check_status')) {
    assert.ok(Date.now() - started < 15_000, 'no cycle within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { cli, base, port, file, write, env };
}

const sampleOf = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

test('argus agent serves /metrics that promtool accepts, with node_exporter names agreeing with /proc', async (t) => {
  const agent = await startAgent({});
  try {
    const response = await fetch(`${agent.base}/metrics`);
    assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();

    const meminfo = readFileSync('/proc/meminfo', 'utf8');
    const memTotal = Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)?.[1]) * 1024;
    assert.equal(sampleOf(text, 'node_memory_MemTotal_bytes'), memTotal);
    const available = sampleOf(text, 'node_memory_MemAvailable_bytes') ?? NaN;
    const availableNow = Number(/^MemAvailable:\s+(\d+) kB/m.exec(meminfo)?.[1]) * 1024;
    assert.ok(Math.abs(available - availableNow) / memTotal < 0.05, 'MemAvailable within 5% of the total');

    const root = statfsSync('/');
    const rootLine = text.split('\n').find((line) => /^node_filesystem_size_bytes\{.*mountpoint="\/"/.test(line));
    assert.equal(Number(rootLine?.split(' ').at(-1)), root.blocks * root.bsize);

    // Counters: what was scraped is at most what /proc says now, and at most a couple of seconds behind.
    const cpu0 = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((line) => line.startsWith('cpu0 '));
    const idleNow = Number(cpu0?.split(/\s+/)[4]) / 100;
    const idle = sampleOf(text, 'node_cpu_seconds_total{cpu="0",mode="idle"}') ?? NaN;
    assert.ok(idle <= idleNow && idleNow - idle < 5, `idle ${idle} vs /proc ${idleNow}`);
    const load1 = sampleOf(text, 'node_load1');
    assert.ok(load1 !== undefined && load1 >= 0);
    assert.match(text, /^argus_check_status\{check="disk",target="\/"\} [0-3]$/m);
    assert.match(text, /^argus_check_success\{check="cpu"\} 1$/m);
    assert.match(text, /^argus_build_info\{version="[^"]+",nodejs="v\d+/m);

    if (!requireCommand(t, 'promtool')) return;
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    // node_exporter's names that fail promtool's lints on node_exporter itself: the kernel's field names
    // (node_memory_MemAvailable_bytes, node_netstat_Tcp_InSegs) and the entropy pool in bits. Argus keeps them so
    // dashboards work. Everything else must be clean.
    const NODE_EXPORTER_NAMES = /^(node_memory|node_netstat)_\w+$|^node_entropy_(available|pool_size)_bits$/;
    const problems = `${lint.stdout}${lint.stderr}`.split('\n').filter(Boolean);
    const others = problems.filter(
      (line) =>
        !(
          NODE_EXPORTER_NAMES.test(line.split(' ')[0] ?? '') &&
          /(should be written in 'snake_case' not 'camelCase'|use base unit "bytes" instead of "bits")$/.test(line)
        ),
    );
    assert.deepEqual(others, []);
    const withoutMeminfo = text
      .split('\n')
      .filter((line) => !/^(# (HELP|TYPE) )?(node_memory|node_netstat|node_entropy)_/.test(line))
      .join('\n');
    const strict = spawnSync('promtool', ['check', 'metrics'], { input: withoutMeminfo, encoding: 'utf8' });
    assert.equal(strict.status, 0, `${strict.stdout}${strict.stderr}`);
  } finally {
    agent.cli.child.kill('SIGTERM');
    await agent.cli.finished;
  }
});

test('argus agent answers /healthz, /api/v1/status and /api/v1/history, and stops within 10 s of SIGTERM with exit 0', async (t) => {
  const agent = await startAgent({});
  // A failed assertion must not leave the agent running (the test run would wait for it).
  t.after(() => {
    if (agent.cli.child.exitCode === null) agent.cli.child.kill('SIGKILL');
  });
  const health = await fetch(`${agent.base}/healthz`);
  assert.equal(health.status, 200);
  const status = (await (await fetch(`${agent.base}/api/v1/status`)).json()) as {
    results: { name: string; exported?: unknown }[];
  };
  assert.deepEqual([...new Set(status.results.map((result) => result.name))], ['cpu', 'ram', 'disk', 'network']);
  assert.ok(
    status.results.every((result) => result.exported === undefined),
    'raw series stay out of the API',
  );
  assert.equal((await fetch(`${agent.base}/metrics`, { method: 'POST' })).status, 405);
  // The loop records history by default; the API reads it back through its own read-only connection while the
  // loop keeps writing. At -i 1 the first cycles reach the database a few seconds in (HANDOFF_MS); until then the
  // file is not there (404).
  let points: [number, number][] = [];
  const asked = Date.now();
  while (points.length < 2 && Date.now() - asked < 20_000) {
    const response = await fetch(`${agent.base}/api/v1/history?check=ram&metric=used_percent&since=5m&step=1s`);
    const answer = (await response.json()) as {
      data?: { series: { points: [number, number][] }[] };
      error?: string;
    };
    if (response.status === 404) assert.match(answer.error ?? '', /history/i, 'only "no history yet" is expected');
    else assert.equal(response.status, 200, JSON.stringify(answer));
    points = answer.data?.series[0]?.points ?? [];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(points.length >= 2, 'history has the cycles the agent ran');
  assert.ok(points.every(([, value]) => value > 0 && value < 100));
  assert.equal((await fetch(`${agent.base}/api/v1/history?since=nonsense`)).status, 400);
  // The history thread's counters reach /metrics as of the cycle served: the one after the cycles were written.
  let metrics: string;
  const scraped = Date.now();
  do {
    await new Promise((resolve) => setTimeout(resolve, 200));
    metrics = await (await fetch(`${agent.base}/metrics`)).text();
  } while ((sampleOf(metrics, 'argus_history_cycles_written_total') ?? 0) < 1 && Date.now() - scraped < 5000);
  assert.ok((sampleOf(metrics, 'argus_history_cycles_written_total') ?? 0) >= 1);
  assert.equal(sampleOf(metrics, 'argus_history_healthy'), 1);
  assert.equal(sampleOf(metrics, 'argus_history_write_failures_total{kind="busy"}'), 0);
  const sent = Date.now();
  agent.cli.child.kill('SIGTERM');
  const run = await agent.cli.finished;
  assert.equal(run.code, 0, run.stderr);
  assert.ok(Date.now() - sent < 10_000, `stopped after ${Date.now() - sent} ms`);
  await assert.rejects(fetch(`${agent.base}/healthz`), 'the listener is closed');
});

test('argus agent keeps its config and listener on a bad reload, and moves the listener on a good one', async () => {
  const agent = await startAgent({});
  try {
    writeFileSync(agent.file, '{"poll_interval": "soon"}');
    agent.cli.child.kill('SIGHUP');
    await agent.cli.waitForOutput((_, stderr) => /reload refused/.test(stderr));
    const text = await (await fetch(`${agent.base}/metrics`)).text();
    assert.equal(sampleOf(text, 'argus_config_last_reload_successful'), 0);

    const newPort = await freePort();
    writeFileSync(agent.file, JSON.stringify({ poll_interval: 1, server: { listen: `127.0.0.1:${newPort}` } }));
    agent.cli.child.kill('SIGHUP');
    await agent.cli.waitForOutput((_, stderr) => stderr.includes(`listening url=http://127.0.0.1:${newPort}`));
    const moved = await (await fetch(`http://127.0.0.1:${newPort}/metrics`)).text();
    assert.equal(sampleOf(moved, 'argus_config_last_reload_successful'), 1);
    await assert.rejects(fetch(`${agent.base}/metrics`), 'the old address is closed');
  } finally {
    agent.cli.child.kill('SIGTERM');
    await agent.cli.finished;
  }
});

// The attack battery: a SIGHUP moving server.listen to an address that could not be bound logged "is another
// agent running?" and yet reported the reload as successful.
test('argus agent refuses a reload whose address cannot be bound, and moves within its own port', async () => {
  const token = 'a-token-of-at-least-16';
  const auth = { bearer_tokens: [token] };
  const headers = { authorization: `Bearer ${token}` };
  const agent = await startAgent({ server: { auth } }, headers);
  const squatter = await startReceiver();
  try {
    agent.write({ server: { listen: `127.0.0.1:${squatter.port}`, auth } });
    agent.cli.child.kill('SIGHUP');
    await agent.cli.waitForOutput((_, stderr) => /reload refused/.test(stderr));
    assert.match(agent.cli.output().stderr, new RegExp(`still serving http://127\\.0\\.0\\.1:${agent.port}`));
    const kept = await (await fetch(`${agent.base}/metrics`, { headers })).text();
    assert.equal(sampleOf(kept, 'argus_config_last_reload_successful'), 0, 'the failed move is a failed reload');

    // 127.0.0.1:P to 0.0.0.0:P overlaps the agent's own socket: it closes first, then binds the wider address.
    agent.write({ server: { listen: `0.0.0.0:${agent.port}`, auth } });
    agent.cli.child.kill('SIGHUP');
    await agent.cli.waitForOutput((_, stderr) => stderr.includes(`listening url=http://0.0.0.0:${agent.port}`));
    const moved = await (await fetch(`${agent.base}/metrics`, { headers })).text();
    assert.equal(sampleOf(moved, 'argus_config_last_reload_successful'), 1);
  } finally {
    await squatter.close();
    agent.cli.child.kill('SIGTERM');
    assert.equal((await agent.cli.finished).code, 0);
  }
});

test('argus agent refuses a non-loopback address without auth before binding (exit 78)', async () => {
  const env = isolatedEnv();
  const file = join(env.HOME ?? '', 'open.yaml');
  writeFileSync(file, 'server:\n  listen: "0.0.0.0:19100"\n');
  const run = await runCli(['agent', '-c', file], { env });
  assert.equal(run.code, 78, run.stderr);
  assert.match(run.stderr, /server\.listen: refused: a non-loopback address without auth/);
  assert.doesNotMatch(run.stderr, /listening/);
});

test('argus agent serves "localhost:PORT" and "127.1:PORT" without auth: both are loopback', async () => {
  for (const host of ['localhost', '127.1']) {
    const env = isolatedEnv();
    const file = join(env.HOME ?? '', 'local.yaml');
    const port = await freePort();
    writeFileSync(file, `enabled_checks: [ram]\nserver:\n  listen: "${host}:${port}"\n`);
    const cli = startCli(['agent', '--no-history', '-c', file], { env });
    try {
      await cli.waitForOutput((_, stderr) => /argus\.agent: listening/.test(stderr) || /argus: /.test(stderr));
      assert.match(cli.output().stderr, new RegExp(`listening url=http://(127\\.0\\.0\\.1|\\[::1\\]):${port}`));
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    } finally {
      cli.child.kill('SIGTERM');
      assert.equal((await cli.finished).code, 0);
    }
  }
});

test('argus agent checks basic auth on its bcrypt thread: right 200, wrong 401, a flood from one address 429', async () => {
  const hash = bcrypt.hashSync('scrape-me', 8);
  const basic = (password: string) => ({
    authorization: `Basic ${Buffer.from(`prom:${password}`).toString('base64')}`,
  });
  const agent = await startAgent(
    { enabled_checks: ['ram'], server: { auth: { password_hashes: { prom: hash } } } },
    basic('scrape-me'),
  );
  const get = (password: string) => fetch(`${agent.base}/metrics`, { headers: basic(password) });
  try {
    assert.equal((await get('scrape-me')).status, 200);
    const wrong = await Promise.all(Array.from({ length: 30 }, (_, index) => get(`guess-${index}`)));
    const statuses = wrong.map((answer) => answer.status);
    assert.ok(statuses.includes(401) && statuses.includes(429), statuses.join(' '));
    assert.ok(
      wrong.filter((answer) => answer.status === 429).every((answer) => Number(answer.headers.get('retry-after')) > 0),
    );
    assert.equal((await get('scrape-me')).status, 200);
    assert.doesNotMatch(agent.cli.output().stderr, /failed|ERROR/);
  } finally {
    agent.cli.child.kill('SIGTERM');
    assert.equal((await agent.cli.finished).code, 0);
  }
});

test("argus agent holds V8's optimizing compiler back while idle; charts and the bcrypt thread switch it on", async () => {
  const hash = bcrypt.hashSync('scrape-me', 4);
  const basic = { authorization: `Basic ${Buffer.from('prom:scrape-me').toString('base64')}` };
  // A wait never reached, so that what switches the compiler on is the request, however loaded the machine.
  const onlyRequests = { ARGUS_TEST_QUEUED_MS: '1e12' };
  const switchedOn = /argus\.agent: optimizing compiler on reason="([^"]+)"/;
  const charts = await startAgent({ log_level: 'debug' }, {}, onlyRequests);
  const bcryptAgent = await startAgent(
    { log_level: 'debug', server: { auth: { password_hashes: { prom: hash } } } },
    basic,
    onlyRequests,
  );
  try {
    for (let scrape = 0; scrape < 20; scrape += 1) await (await fetch(`${charts.base}/metrics`)).text();
    assert.doesNotMatch(charts.cli.output().stderr, switchedOn, 'scrapes and cycles leave it off');
    assert.equal((await fetch(`${charts.base}/api/v1/charts?range=1h`)).status, 200);
    await charts.cli.waitForOutput((_, stderr) => switchedOn.test(stderr));
    assert.equal(switchedOn.exec(charts.cli.output().stderr)?.[1], 'charts were asked for');
    // The helper's own scrapes were authenticated: the bcrypt thread has started by now.
    await bcryptAgent.cli.waitForOutput((_, stderr) => switchedOn.test(stderr));
    assert.equal(switchedOn.exec(bcryptAgent.cli.output().stderr)?.[1], 'the bcrypt thread started');
  } finally {
    for (const agent of [charts, bcryptAgent]) {
      agent.cli.child.kill('SIGTERM');
      assert.equal((await agent.cli.finished).code, 0);
    }
  }
});

test('argus agent exits 69 when its address is taken, so systemd tries again later', async () => {
  const squatter = await startReceiver();
  const env = isolatedEnv();
  const file = join(env.HOME ?? '', 'taken.yaml');
  writeFileSync(file, `server:\n  listen: "127.0.0.1:${squatter.port}"\n`);
  const run = await runCli(['agent', '-c', file], { env });
  await squatter.close();
  assert.equal(run.code, 69, run.stderr);
  assert.match(run.stderr, new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${squatter.port}: the address is in use`));
});

test('a real Prometheus scrapes the agent: up is 1 and argus_check_status is queryable', async (t) => {
  if (!requireCommand(t, 'prometheus')) return;
  const agent = await startAgent({});
  const prometheus = await startPrometheus({ scrape: { argus: `127.0.0.1:${agent.port}` } });
  try {
    const started = Date.now();
    let up: Awaited<ReturnType<typeof prometheus.query>> = [];
    while (Date.now() - started < 60_000) {
      up = await prometheus.query('up{job="argus"}');
      if (up[0]?.value?.[1] === '1') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(up[0]?.value?.[1], '1', 'Prometheus scraped the agent');
    const statuses = await prometheus.query('argus_check_status{check="disk"}');
    assert.ok(statuses.some((series) => series.metric.target === '/'));
    const memory = await prometheus.query('node_memory_MemTotal_bytes');
    assert.ok(Number(memory[0]?.value?.[1]) > 0);
  } finally {
    await prometheus.stop();
    agent.cli.child.kill('SIGTERM');
    await agent.cli.finished;
  }
});

test('contrib/systemd/argus-agent.service passes systemd-analyze verify', (t) => {
  if (spawnSync('sh', ['-c', 'command -v systemd-analyze']).status !== 0) {
    t.skip('systemd-analyze is not installed (systemd is not a CI requirement)');
    return;
  }
  // The unit names /usr/local/bin/argus, where `npm install --global` puts it; here it points at this build.
  const dir = mkdtempSync(join(tmpdir(), 'argus-unit-'));
  const unit = readFileSync(join(REPO, 'contrib', 'systemd', 'argus-agent.service'), 'utf8');
  assert.match(unit, /^User=argus$/m);
  assert.match(unit, /^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
  assert.match(unit, /^RestartPreventExitStatus=78$/m);
  writeFileSync(join(dir, 'argus-agent.service'), unit.replace('/usr/local/bin/argus', BUILT_CLI));
  const verify = spawnSync('systemd-analyze', ['verify', join(dir, 'argus-agent.service')], { encoding: 'utf8' });
  assert.equal(verify.status, 0, `${verify.stdout}${verify.stderr}`);
});
