import * as v from 'valibot';
import { createProcessSampler, type ProcessRow, type ProcessSampler } from '../collect/process-sampler.ts';
import { formatBytes, formatPercent } from '../format/units.ts';
import { regexSchema } from '../schema/regex.ts';
import { defineCheck, type Reading } from './check.ts';

/**
 * Which processes an instance counts, in the spirit of check_procs (-C, -u, -s, --ereg-argument-array) and
 * Monit's `check process … matching`: every field given must hold.
 */
export const selectorSchema = v.pipe(
  v.strictObject({
    name: v.pipe(
      v.optional(v.string()),
      v.description('The exact command name (the kernel comm, at most 15 characters, as `ps -o comm` shows it)'),
    ),
    user: v.pipe(v.optional(v.union([v.string(), v.number()])), v.description('The owner, by name or uid')),
    state: v.pipe(
      v.optional(v.pipe(v.string(), v.regex(/^[RSDZTtIXWPK]+$/, 'must be state letters such as Z, D or RSD'))),
      v.description('Any of these ps state letters: R running, S sleeping, D uninterruptible, Z zombie, T stopped'),
    ),
    argv: v.pipe(
      v.optional(regexSchema),
      v.description('A regular expression the full command line must match somewhere'),
    ),
  }),
  v.check(
    (selector) => Object.values(selector).some((value) => value !== undefined),
    'needs at least one of name, user, state, argv',
  ),
);

export type ProcessSelector = v.InferOutput<typeof selectorSchema>;

/** Whether one process is selected; Argus itself never is, as check_procs leaves itself out. */
export function selects(selector: ProcessSelector, process: ProcessRow, argv?: RegExp): boolean {
  if (process.pid === globalThis.process.pid) return false;
  if (selector.name !== undefined && process.name !== selector.name) return false;
  if (
    selector.user !== undefined &&
    process.user !== String(selector.user) &&
    String(process.uid) !== String(selector.user)
  )
    return false;
  if (selector.state !== undefined && !selector.state.includes(process.state)) return false;
  return argv === undefined || argv.test(process.command);
}

function summarizeGroup(rows: readonly ProcessRow[]): Record<string, number> {
  let threads = 0;
  let rss = 0;
  let cpu: number | undefined;
  let zombies = 0;
  let uninterruptible = 0;
  for (const row of rows) {
    threads += row.threads;
    rss += row.rssBytes;
    if (row.cpuPercent !== undefined) cpu = (cpu ?? 0) + row.cpuPercent;
    if (row.state === 'Z') zombies += 1;
    if (row.state === 'D') uninterruptible += 1;
  }
  const metrics: Record<string, number> = {
    count: rows.length,
    threads,
    rss_bytes: rss,
    zombies,
    uninterruptible,
  };
  if (cpu !== undefined || rows.length === 0) metrics.cpu_percent = cpu ?? 0;
  return metrics;
}

export const procsCheck = defineCheck({
  description: 'Counts processes (all, or those matching a name, user, state or command line), as check_procs does',
  categories: ['system', 'processes'],
  options: v.strictObject({
    match: v.pipe(
      v.optional(v.record(v.pipe(v.string(), v.regex(/^[\w.@:-]{1,64}$/, 'must be a plain name')), selectorSchema), {}),
      v.description(
        'Named groups of processes, one instance each: `nginx: { name: nginx }` with `thresholds.procs.instances.nginx: { crit: "1:" }` alerts when none runs. Without any: one reading over every process',
      ),
    ),
  }),
  metrics: [
    { name: 'count', unit: 'count', help: 'Processes selected' },
    { name: 'threads', unit: 'count', help: 'Threads of the selected processes' },
    { name: 'rss_bytes', unit: 'bytes', help: 'Resident memory of the selected processes, summed' },
    { name: 'cpu_percent', unit: 'percent', help: 'CPU of the selected processes, in shares of one core', rate: true },
    { name: 'zombies', unit: 'count', help: 'Selected processes that exited and were not reaped (state Z)' },
    { name: 'uninterruptible', unit: 'count', help: 'Selected processes waiting in the kernel (state D)' },
  ],
  mainMetric: 'count',
  needsTwoSamples: true,
  create: (options) => {
    const groups = Object.entries(options.match).map(([instance, selector]) => ({
      instance,
      selector,
      argv: selector.argv === undefined ? undefined : new RegExp(selector.argv, 'u'),
    }));
    let sampler: ProcessSampler | undefined;
    return ({ host, monotonicMs }) => {
      sampler ??= createProcessSampler(monotonicMs);
      const { processes } = sampler.sample(host);
      if (groups.length === 0) return [{ metrics: summarizeGroup(processes.filter((row) => row.pid !== process.pid)) }];
      return groups.map(({ instance, selector, argv }): Reading => ({
        instance,
        metrics: summarizeGroup(processes.filter((row) => selects(selector, row, argv))),
      }));
    };
  },
  summarize: ({ metrics }) => {
    const count = metrics.count ?? 0;
    const parts = [`${count} process${count === 1 ? '' : 'es'}`];
    if (count > 0) {
      parts.push(
        `${metrics.threads ?? 0} thread${metrics.threads === 1 ? '' : 's'}`,
        `${formatBytes(metrics.rss_bytes ?? 0)} RSS`,
      );
      if (metrics.cpu_percent !== undefined) parts.push(`${formatPercent(metrics.cpu_percent)} CPU`);
    }
    if ((metrics.zombies ?? 0) > 0) parts.push(`${metrics.zombies} zombie`);
    if ((metrics.uninterruptible ?? 0) > 0) parts.push(`${metrics.uninterruptible} in D state`);
    return parts.join(', ');
  },
});
