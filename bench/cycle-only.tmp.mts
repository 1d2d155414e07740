import { readFileSync, statfsSync } from 'node:fs';
import { hostname } from 'node:os';
import { createHost } from '../src/collect/host.ts';
import { validateConfig } from '../src/config/validate.ts';
import { createLogRouter } from '../src/log/logger.ts';
import { monotonicMs } from '../src/monotonic.ts';
import { createCollector } from '../src/scheduler/collector.ts';
const r = validateConfig({});
if (!r.ok) throw new Error();
const c = createCollector(r.config, {
  host: createHost(),
  hostname: hostname(),
  logger: createLogRouter({ level: 'ERROR', outputs: [] }).logger,
  monotonicMs,
  now: () => new Date(),
});
const s = new AbortController().signal;
await c.prime(s);
const bare = () => {
  let f = 0;
  for (const file of ['stat', 'loadavg', 'meminfo', 'self/mountinfo', 'diskstats', 'net/dev'])
    for (const line of readFileSync(`/proc/${file}`, 'utf8').split('\n')) f += line.split(/\s+/).length;
  f += statfsSync('/').bavail > 0 ? 1 : 0;
  return f;
};
const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1]!;
for (let rep = 0; rep < 3; rep++) {
  const A: number[] = [],
    B: number[] = [];
  for (let i = 0; i < 2000; i++) {
    let t = monotonicMs();
    await c.collect(s);
    A.push(monotonicMs() - t);
    t = monotonicMs();
    bare();
    B.push(monotonicMs() - t);
  }
  console.log(
    `cycle ${(med(A) * 1000).toFixed(0)}us bare ${(med(B) * 1000).toFixed(0)}us ratio ${(med(A) / med(B)).toFixed(2)}`,
  );
}
