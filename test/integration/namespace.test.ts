import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILT_CLI, isolatedEnv, REPO, runCli } from '../helpers/cli.ts';

interface Document {
  results: { name: string; instance?: string; metrics: Record<string, number> }[];
}

const instances = (document: Document, check: string): string[] =>
  document.results
    .filter((result) => result.name === check)
    .map((result) => result.instance ?? '')
    .sort();

/**
 * What a container image relies on, without a container daemon: Argus in a new user, mount and PID namespace, as the
 * unprivileged user nobody, in a read-only working directory, seeing the host through its `/` bind-mounted
 * read-only at <dir>/host, as `docker run --pid=host -v /:/host:ro,rslave` gives it, with the image's config.
 */
test('in a new user, mount and PID namespace as nobody, with / read-only at /host, argus reports the host', async (t) => {
  const canUnshare =
    process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v unshare && command -v setpriv']).status === 0;
  const nobodyReads =
    canUnshare &&
    spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'test', '-r', BUILT_CLI]).status === 0;
  if (!nobodyReads) {
    t.skip('needs root, unshare, setpriv and a checkout the user nobody can read');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'argus-ns-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'work'));
  const host = join(dir, 'host');
  const config = join(dir, 'argus.yaml');
  // The image's own config (the Dockerfile copies it to /etc/argus/config.yaml), its /host moved to the temp dir.
  const imageConfig = readFileSync(join(REPO, 'contrib', 'docker', 'config.yaml'), 'utf8');
  assert.match(imageConfig, /^ {2}rootfs: \/host$/m);
  writeFileSync(config, imageConfig.replace(/: \/host\b/g, `: ${host}`));
  chmodSync(config, 0o644);
  const script = [
    'while [ -z "$(cat /proc/self/uid_map)" ]; do sleep 0.02; done',
    'set -e',
    'mount --make-rprivate /',
    `mkdir -p ${host}`,
    `mount --rbind / ${host}`,
    `mount -o remount,bind,ro ${host}`,
    `mount --bind ${dir}/work ${dir}/work`,
    `mount -o remount,bind,ro ${dir}/work`,
    `cd ${dir}/work`,
    `exec setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/nonexistent XDG_CACHE_HOME=/nonexistent XDG_STATE_HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent "${process.execPath}" "${BUILT_CLI}" status --once -o json --checks ram,disk,network -c ${config}`,
  ].join('\n');
  const child = spawn('unshare', ['--user', '--mount', '--pid', '--fork', 'sh', '-c', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Map uid and gid 0-65535 as they are outside once unshare has made its namespace (only root may map a range).
  const ours = readlinkSync('/proc/self/ns/user');
  for (let tries = 0; tries < 200; tries++) {
    const theirs = (() => {
      try {
        return readlinkSync(`/proc/${child.pid}/ns/user`);
      } catch {
        return ours;
      }
    })();
    if (theirs !== ours) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  writeFileSync(`/proc/${child.pid}/uid_map`, '0 0 65536');
  writeFileSync(`/proc/${child.pid}/gid_map`, '0 0 65536');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  const inside = JSON.parse(stdout) as Document;

  const outside = await runCli(['status', '--once', '-o', 'json', '--checks', 'ram,disk,network'], {
    env: isolatedEnv(),
  });
  assert.equal(outside.code, 0, outside.stderr);
  const direct = JSON.parse(outside.stdout) as Document;
  const ram = (document: Document) => document.results.find((result) => result.name === 'ram')!.metrics;
  assert.equal(ram(inside).total_bytes, ram(direct).total_bytes, "the host's memory");
  assert.deepEqual(instances(inside, 'disk'), instances(direct, 'disk'), "the host's mounts");
  assert.deepEqual(instances(inside, 'network'), instances(direct, 'network'), "the host's interfaces");
  assert.ok(instances(inside, 'disk').includes('/'));
});
