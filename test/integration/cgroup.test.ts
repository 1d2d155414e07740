import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILT_CLI, isolatedEnv } from '../helpers/cli.ts';

/** This process' cgroup v1 directory of a controller, or undefined on a v2-only or unreadable host. */
function v1Dir(controller: string): string | undefined {
  const line = readFileSync('/proc/self/cgroup', 'utf8')
    .split('\n')
    .find((entry) => entry.split(':')[1]?.split(',').includes(controller));
  const path = line?.split(':')[2];
  return path === undefined ? undefined : join('/sys/fs/cgroup', controller, path);
}

test('live: argus run inside a cgroup with a memory limit and a CPU quota reports the container, says so in JSON', (t) => {
  // A cgroup made for the test, on this machine's cgroup v1: only where root may write the cgroup file system.
  const memory = v1Dir('memory');
  const cpu = v1Dir('cpu');
  const made: string[] = [];
  try {
    if (!memory || !cpu) throw new Error('no cgroup v1 memory and cpu hierarchies');
    for (const dir of [join(memory, `argus-test-${process.pid}`), join(cpu, `argus-test-${process.pid}`)]) {
      mkdirSync(dir);
      made.push(dir);
    }
    writeFileSync(join(made[0]!, 'memory.limit_in_bytes'), String(256 * 1024 * 1024));
    writeFileSync(join(made[1]!, 'cpu.cfs_quota_us'), '50000');
  } catch (error) {
    for (const dir of made.reverse()) rmdirSync(dir);
    t.skip(`cannot make a cgroup here: ${(error as Error).message}`);
    return;
  }
  try {
    const env = isolatedEnv();
    const config = join(env.HOME!, 'argus.yaml');
    writeFileSync(config, 'checks:\n  ram: { scope: container }\n  cpu: { scope: container }\n');
    // The shell moves itself into the cgroups, then becomes argus.
    const run = spawnSync(
      'sh',
      [
        '-c',
        `echo $$ > ${made[0]}/cgroup.procs && echo $$ > ${made[1]}/cgroup.procs && exec "${process.execPath}" "${BUILT_CLI}" status --once -o json --checks ram,cpu -c ${config}`,
      ],
      { env, encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    const document = JSON.parse(run.stdout) as {
      scope?: string;
      results: { name: string; metrics: Record<string, number>; labels?: Record<string, string> }[];
    };
    assert.equal(document.scope, 'container');
    const ram = document.results.find((result) => result.name === 'ram')!;
    assert.equal(ram.metrics.total_bytes, 256 * 1024 * 1024);
    assert.ok(ram.metrics.used_bytes! > 0 && ram.metrics.used_bytes! < 256 * 1024 * 1024);
    assert.deepEqual(ram.labels, { scope: 'container' });
    const cpuResult = document.results.find((result) => result.name === 'cpu')!;
    assert.equal(cpuResult.metrics.cores, 0.5);
    assert.ok(cpuResult.metrics.usage_percent! >= 0 && cpuResult.metrics.usage_percent! <= 100);
  } finally {
    for (const dir of made.reverse()) rmdirSync(dir);
  }
});
