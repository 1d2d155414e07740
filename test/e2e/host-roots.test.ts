import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isolatedEnv, runCli, startCli } from '../helpers/cli.ts';
import { FIXTURES } from '../helpers/fixture-host.ts';
import { freePort } from '../helpers/loopback-receiver.ts';

interface Result {
  name: string;
  instance?: string;
  metrics: Record<string, number>;
}

/**
 * The recorded VM as a container would see its host (node_exporter's run line: --pid=host, -v /:/host): its /proc
 * at <dir>/proc with PID 1's mount table, its /sys, and its mount points as directories under <dir>/root.
 */
function hostTree(dir: string) {
  const recorded = join(FIXTURES, 'hosts', 'vm-basic');
  cpSync(join(recorded, 'proc0'), join(dir, 'proc'), { recursive: true });
  const mountinfo = readFileSync(join(recorded, 'proc0', 'self', 'mountinfo'), 'utf8');
  mkdirSync(join(dir, 'proc', '1'));
  writeFileSync(join(dir, 'proc', '1', 'mountinfo'), mountinfo);
  const points = mountinfo.split('\n').flatMap((line) => (line ? [line.split(' ')[4] ?? ''] : []));
  for (const point of points) mkdirSync(join(dir, 'root', point), { recursive: true });
  const meminfo = readFileSync(join(recorded, 'proc0', 'meminfo'), 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(meminfo)?.[1]) * 1024;
  const config = join(dir, 'argus.yaml');
  const roots = { procfs: join(dir, 'proc'), sysfs: join(recorded, 'sys'), rootfs: join(dir, 'root') };
  return { config, roots, total: kib('MemTotal') };
}

test('argus status reads the host through host.procfs, host.sysfs and host.rootfs, end to end', async () => {
  const env = isolatedEnv();
  const tree = hostTree(env.HOME ?? '');
  writeFileSync(tree.config, JSON.stringify({ enabled_checks: ['ram', 'disk', 'network'], host: tree.roots }));
  const run = await runCli(['status', '--once', '-o', 'json', '-c', tree.config], { env });
  assert.equal(run.code, 0, run.stderr);
  const results = (JSON.parse(run.stdout) as { results: Result[] }).results;
  const ram = results.find((result) => result.name === 'ram');
  assert.equal(ram?.metrics.total_bytes, 25276502016, 'the recorded MemTotal (24684084 kB), not this machine');
  assert.equal(ram?.metrics.used_percent, 1.3603583588518011);
  const root = results.find((result) => result.name === 'disk' && result.instance === '/');
  const space = statfsSync(tree.roots.rootfs);
  assert.equal(root?.metrics.total_bytes, space.blocks * space.bsize, 'statfs of <rootfs>/, named "/"');
  assert.deepEqual(
    results.filter((result) => result.name === 'network').map((result) => result.instance),
    ['ifb0', 'ifb1', 'eth0'],
    "the recorded VM's interfaces (lo is excluded by default)",
  );
});

test('argus agent serves node_exporter series of the host it is pointed at', async () => {
  const env = isolatedEnv();
  const tree = hostTree(env.HOME ?? '');
  const port = await freePort();
  writeFileSync(
    tree.config,
    JSON.stringify({ enabled_checks: ['ram', 'disk'], host: tree.roots, server: { listen: `127.0.0.1:${port}` } }),
  );
  const cli = startCli(['agent', '--no-history', '-c', tree.config], { env });
  try {
    let text = '';
    for (let tries = 0; tries < 300 && !text.includes('node_filesystem_size_bytes'); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      text = await fetch(`http://127.0.0.1:${port}/metrics`).then(
        (answer) => answer.text(),
        () => '',
      );
    }
    assert.match(text, new RegExp(`^node_memory_MemTotal_bytes ${tree.total}$`, 'm'));
    const space = statfsSync(tree.roots.rootfs);
    assert.match(
      text,
      new RegExp(`^node_filesystem_size_bytes\\{[^}]*mountpoint="/"[^}]*\\} ${space.blocks * space.bsize}$`, 'm'),
    );
  } finally {
    cli.child.kill('SIGTERM');
    assert.equal((await cli.finished).code, 0);
  }
});
