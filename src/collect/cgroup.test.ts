import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v from 'valibot';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { cpuCheck } from '../checks/cpu.ts';
import { ramCheck } from '../checks/ram.ts';
import type { Check } from '../checks/check.ts';
import { createScopeReader, inContainer, parseProcCgroup, readCgroupLimits, scopeLimits } from './cgroup.ts';

/** Two snapshots of a scenario, `wallMs` apart on the check's clock. */
async function twoRuns(check: Check, scenario: string, options: Record<string, unknown>, wallMs: number) {
  const collect = check.create(v.parse(check.options, options));
  let now = 1000;
  const run = async (snapshot: number) =>
    (
      await collect({
        host: fixtureHost(scenario, snapshot),
        signal: new AbortController().signal,
        monotonicMs: () => now,
      })
    )[0]!;
  const first = await run(0);
  now += wallMs;
  return [first, await run(1)] as const;
}

test('/proc/self/cgroup: v2 is one unified path, v1 a path per controller (a hybrid host has both)', () => {
  assert.deepEqual(parseProcCgroup('0::/system.slice/argus.service\n'), {
    unified: '/system.slice/argus.service',
    controllers: new Map(),
  });
  const hybrid = parseProcCgroup('4:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc\n0::/\n');
  assert.deepEqual(
    [...hybrid.controllers],
    [
      ['memory', '/docker/abc'],
      ['cpu', '/docker/abc'],
      ['cpuacct', '/docker/abc'],
    ],
  );
});

test('a recorded cgroup v1 tree: the memory limit, its working set, the CPU quota and the time used', () => {
  const limits = readCgroupLimits(fixtureHost('cgroup-v1', 0))!;
  assert.equal(limits.version, 1);
  // memory.usage_in_bytes 151269376 minus total_inactive_file 28672.
  assert.deepEqual(limits.memory, { limitBytes: 536870912, workingSetBytes: 151240704 });
  assert.deepEqual(limits.cpu, { cores: 1.5, userSeconds: 0.01, systemSeconds: 0.09, totalSeconds: 0.108697892 });
});

test('a cgroup v2 tree: memory.max, memory.current less inactive_file, cpu.max and cpu.stat', () => {
  const limits = readCgroupLimits(fixtureHost('cgroup-v2', 0))!;
  assert.deepEqual(limits, {
    version: 2,
    memory: { limitBytes: 1073741824, workingSetBytes: 429916160 - 104857600 },
    cpu: { cores: 2, userSeconds: 4, systemSeconds: 1, totalSeconds: 5 },
  });
});

test('auto takes the limits inside a container only: its marker files or its cgroup path say so', () => {
  const withFiles = (files: Record<string, string>) => {
    const host = fixtureHost('vm-basic', 0);
    return {
      ...host,
      tryReadText: (path: string) => (Object.hasOwn(files, path) ? files[path] : host.tryReadText(path)),
    };
  };
  const bare = withFiles({});
  const markers = ['/.dockerenv', '/run/.containerenv'];
  const plain = {
    ...bare,
    tryReadText: (path: string) => (markers.includes(path) ? undefined : bare.tryReadText(path)),
  };
  assert.equal(inContainer(plain), false, 'no marker, no container path');
  assert.equal(scopeLimits(plain, 'auto'), undefined, 'auto on a host: the host');
  assert.equal(inContainer(withFiles({ '/.dockerenv': '' })), true);
  const kubernetes = {
    ...plain,
    tryReadText: (path: string) =>
      path.endsWith('/self/cgroup') ? '0::/kubepods/burstable/pod1\n' : plain.tryReadText(path),
  };
  assert.equal(inContainer(kubernetes), true);
  assert.equal(scopeLimits(fixtureHost('cgroup-v2', 0), 'host'), undefined);
  assert.ok(scopeLimits(fixtureHost('cgroup-v2', 0), 'container')?.memory);
});

test('ram and cpu with scope container report the container: its limit as total, busy as a share of the quota', async () => {
  const [, ram] = await twoRuns(ramCheck, 'cgroup-v2', { scope: 'container' }, 2000);
  assert.deepEqual(ram.labels, { scope: 'container' });
  assert.deepEqual(ram.metrics, {
    used_percent: (325058560 / 1073741824) * 100,
    used_bytes: 325058560,
    available_bytes: 1073741824 - 325058560,
    total_bytes: 1073741824,
  });
  assert.match(ramCheck.summarize(ram), /available of 1\.0 GiB \(container limit\)$/);

  const [first, cpu] = await twoRuns(cpuCheck, 'cgroup-v2', { scope: 'container' }, 2000);
  assert.equal(first.metrics.usage_percent, undefined, 'one sample is no rate');
  // 3 s of CPU in 2 s on a 2-core quota: 75 %; user 2.5 s, system 0.5 s.
  assert.deepEqual(
    [cpu.metrics.cores, cpu.metrics.usage_percent, cpu.metrics.user_percent, cpu.metrics.system_percent],
    [2, 75, 62.5, 12.5],
  );
  assert.match(
    cpuCheck.summarize(cpu),
    /^75\.0% of the container's 2-core quota busy \(user 62\.5, system 12\.5\), load /,
  );

  // The recorded v1 run: 1.688 s of CPU between the snapshots; at 2 s of wall, 56.3 % of a 1.5-core quota.
  const [, v1] = await twoRuns(cpuCheck, 'cgroup-v1', { scope: 'container' }, 2000);
  assert.ok(Math.abs(v1.metrics.usage_percent! - ((1.796845812 - 0.108697892) / 3) * 100) < 1e-9);
  const [, v1ram] = await twoRuns(ramCheck, 'cgroup-v1', { scope: 'container' }, 2000);
  assert.equal(v1ram.metrics.total_bytes, 536870912);
});

test('a check reads its cgroup once a minute while nothing is limited, every cycle once something is', () => {
  let reads = 0;
  let clock = 0;
  const base = fixtureHost('cgroup-v2', 0);
  const counting = (host: typeof base) => ({
    ...host,
    tryReadText: (path: string) => {
      if (path.includes('cgroup')) reads += 1;
      return host.tryReadText(path);
    },
  });
  const unlimited = counting({
    ...base,
    tryReadText: (path: string) => (path.endsWith('.max') ? 'max\n' : base.tryReadText(path)),
  });
  const reader = createScopeReader('container', 60_000, () => clock);
  assert.equal(reader(unlimited), undefined);
  const first = reads;
  for (let cycle = 0; cycle < 10; cycle++) assert.equal(reader(unlimited), undefined);
  assert.equal(reads, first, 'no read until the minute is up');
  clock = 60_000;
  reader(unlimited);
  assert.ok(reads > first, 'looked again after a minute');
  const limited = createScopeReader('container', 60_000, () => clock);
  const host = counting(base);
  assert.equal(limited(host)?.memory?.limitBytes, 1073741824);
  const before = reads;
  limited(host);
  assert.ok(reads > before, 'limits are read every cycle: usage moves');
  assert.equal(createScopeReader('host')(host), undefined);
});
