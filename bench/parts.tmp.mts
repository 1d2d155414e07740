import * as v from 'valibot';
import { readFileSync, statfsSync } from 'node:fs';
import { createHost } from '../src/collect/host.ts';
import { checks } from '../src/checks/registry.ts';
import { monotonicMs } from '../src/monotonic.ts';
const host = createHost();
const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1]!;
const ctx = { host, signal: new AbortController().signal, monotonicMs };
for (const name of ['cpu', 'ram', 'disk', 'network'] as const) {
  const check = checks[name];
  const collect = check.create(v.parse(check.options, {}) as never);
  await collect(ctx);
  const A: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t = monotonicMs();
    await collect(ctx);
    A.push(monotonicMs() - t);
  }
  console.log(name, (med(A) * 1000).toFixed(1), 'us');
}
const files = {
  cpu: ['stat', 'loadavg'],
  ram: ['meminfo'],
  disk: ['self/mountinfo', 'diskstats'],
  network: ['net/dev'],
};
for (const [name, list] of Object.entries(files)) {
  const A: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t = monotonicMs();
    for (const f of list)
      readFileSync(`/proc/${f}`, 'utf8')
        .split('\n')
        .map((l) => l.split(/\s+/));
    if (name === 'disk') statfsSync('/');
    A.push(monotonicMs() - t);
  }
  console.log('bare', name, (med(A) * 1000).toFixed(1), 'us');
}
const A: number[] = [];
for (let i = 0; i < 3000; i++) {
  const t = monotonicMs();
  readFileSync('/sys/class/net/eth0/ifindex', 'utf8');
  A.push(monotonicMs() - t);
}
console.log('one sysfs read', (med(A) * 1000).toFixed(1), 'us');
