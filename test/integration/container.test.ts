import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { REPO, runCli } from '../helpers/cli.ts';

// The image cannot be built here (no container daemon, no registry). What it relies on is tested instead: Argus in
// a new user, mount and PID namespace with the image's config (namespace.test.ts), the packed package installed
// globally (pack.test.ts), and here, that the Dockerfile and the compose stack hold together.

const COMPOSE = join(REPO, 'contrib', 'compose');
const read = (path: string): string => readFileSync(path, 'utf8');
const hasCommand = (name: string): boolean => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;

interface Service {
  build?: string;
  network_mode?: string;
  pid?: string;
  read_only?: boolean;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
}

test('the Dockerfile builds in one stage and runs Argus from another, as a non-root user with the image config', () => {
  const dockerfile = read(join(REPO, 'Dockerfile'));
  const stages = dockerfile.split(/^FROM /m).slice(1);
  assert.equal(stages.length, 2, 'a build stage and a run stage');
  const [build = '', run = ''] = stages;
  assert.match(build, /python3 make g\+\+/, 'the build stage can compile better-sqlite3');
  assert.match(build, /node scripts\/package\.mjs/, 'the package staged as release.yml stages it');
  assert.match(build, /npm pack .*\n.*npm install --global --prefix \/opt\/argus/, 'installs the package as users do');
  assert.doesNotMatch(run, /g\+\+|npm ci/, 'no compiler and no sources in the image');
  assert.match(run, /^USER argus:argus$/m);
  assert.match(run, /useradd --system --uid 10001/);
  assert.match(run, /^COPY contrib\/docker\/config\.yaml \/etc\/argus\/config\.yaml$/m);
  assert.match(run, /^ENTRYPOINT \["argus"\]$/m);
  // Every place Argus writes is under the volume, so --read-only works.
  for (const variable of ['XDG_STATE_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME'])
    assert.match(run, new RegExp(`${variable}=/var/lib/argus/`), variable);
  assert.match(run, /^VOLUME \["\/var\/lib\/argus"\]$/m);
  // /etc/argus/config.yaml is where Argus looks when no -c is given (config/locate.ts).
  assert.match(read(join(REPO, 'src', 'config', 'locate.ts')), /'\/etc\/argus\/config\.yaml'/);
  for (const ignored of ['node_modules', 'dist', '.git'])
    assert.match(read(join(REPO, '.dockerignore')), new RegExp(`^${ignored.replace('.', '\\.')}$`, 'm'));
});

test('contrib/compose: four services on the host loopback, files that exist and configs their programs accept', async (t) => {
  const compose = parse(read(join(COMPOSE, 'compose.yaml'))) as { services: Record<string, Service> };
  assert.deepEqual(Object.keys(compose.services).sort(), ['alertmanager', 'argus', 'grafana', 'prometheus']);
  for (const [name, service] of Object.entries(compose.services)) {
    assert.equal(service.network_mode, 'host', `${name}: host networking, nothing published`);
    for (const volume of service.volumes ?? []) {
      const source = volume.split(':')[0] ?? '';
      if (source.startsWith('.')) assert.ok(existsSync(join(COMPOSE, source)), `${name}: ${source} exists`);
    }
  }
  const { argus, prometheus, alertmanager, grafana } = compose.services;
  assert.equal(argus?.build, '../..');
  assert.equal(argus?.pid, 'host');
  assert.equal(argus?.read_only, true);
  assert.ok(argus?.volumes?.includes('/:/host:ro,rslave'));
  assert.ok(prometheus?.command?.includes('--web.listen-address=127.0.0.1:9090'));
  assert.ok(prometheus?.command?.includes('--web.enable-remote-write-receiver'));
  assert.ok(alertmanager?.command?.includes('--web.listen-address=127.0.0.1:9093'));
  assert.equal(grafana?.environment?.GF_SERVER_HTTP_ADDR, '127.0.0.1');

  // Argus' config: valid, the image's host view, listening where Prometheus scrapes, alerting where Alertmanager is.
  const check = await runCli(['config', 'check', '-c', join(COMPOSE, 'argus.yaml')]);
  assert.equal(check.code, 0, check.stderr);
  const argusConfig = parse(read(join(COMPOSE, 'argus.yaml'))) as {
    host: unknown;
    server: { listen: string };
    alerts: { notify: { type: string; url: string }[] };
  };
  const imageConfig = parse(read(join(REPO, 'contrib', 'docker', 'config.yaml'))) as { host: unknown };
  assert.deepEqual(argusConfig.host, imageConfig.host);
  assert.match(read(join(COMPOSE, 'prometheus.yml')), new RegExp(`targets: \\['${argusConfig.server.listen}'\\]`));
  assert.deepEqual(argusConfig.alerts.notify[0], {
    ...argusConfig.alerts.notify[0],
    type: 'alertmanager',
    url: 'http://127.0.0.1:9093',
  });
  // Grafana: the data source is that Prometheus, and the dashboards folder is contrib/grafana.
  const datasources = parse(read(join(COMPOSE, 'grafana', 'datasources', 'prometheus.yaml'))) as {
    datasources: { url: string }[];
  };
  assert.equal(datasources.datasources[0]?.url, 'http://127.0.0.1:9090');
  const providers = parse(read(join(COMPOSE, 'grafana', 'dashboards', 'argus.yaml'))) as {
    providers: { options: { path: string } }[];
  };
  assert.ok(grafana?.volumes?.includes(`../grafana:${providers.providers[0]?.options.path}:ro`));
  assert.ok(existsSync(join(REPO, 'contrib', 'grafana', 'argus-overview.json')));

  // Prometheus' and Alertmanager's own checkers (Debian's packages; CI has both).
  if (!hasCommand('promtool') || !hasCommand('amtool')) {
    assert.ok(!process.env.CI, 'CI has promtool and amtool (.ci/run installs prometheus and prometheus-alertmanager)');
    t.skip('promtool or amtool is not installed');
    return;
  }
  const promtool = spawnSync('promtool', ['check', 'config', join(COMPOSE, 'prometheus.yml')], { encoding: 'utf8' });
  assert.equal(promtool.status, 0, promtool.stdout + promtool.stderr);
  const amtool = spawnSync('amtool', ['check-config', join(COMPOSE, 'alertmanager.yml')], { encoding: 'utf8' });
  assert.equal(amtool.status, 0, amtool.stdout + amtool.stderr);
});
