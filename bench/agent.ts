// The agent's /metrics under load (issue #4), and node_exporter's in the same run, each with its default collectors
// (#17, 3: Argus reads node_exporter's series at scrape time now, so both sides do the same work per read).
// wrk (Debian's package) generates the load; CPU per scrape is the server process's CPU time over requests served.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface LoadFigures {
  requestsPerSecond: number;
  p99Ms: number;
  requests: number;
  errors: number;
  cpuMsPerScrape: number;
}

export interface AgentBench {
  argus: {
    c4: LoadFigures;
    c200: LoadFigures;
    bodyBytes: number;
    series: number;
    /** RSS once 100,000 scrapes (at 4 connections) were served, before the 200-connection run. */
    rssMiBAfter100k: number;
    rssMiBIdle: number;
    /** The same with --no-history: what recording history costs. */
    rssMiBAfter100kNoHistory: number;
    /**
     * With history, started as the systemd unit starts it: its Environment= (Node's and glibc's start-time memory
     * knobs) and nothing else of the shell's (a unit inherits none; NODE_EXTRA_CA_CERTS alone made Node load its
     * whole root store at start, ≈ 0.8 MiB, on the machine this was measured on). `soak` is RSS right after
     * `wrk -c8` ran for soakSeconds, and two minutes after it ended.
     */
    asService: {
      environment: Record<string, string>;
      /** Right after its first cycle, start-up's garbage still in the heap. */
      rssMiBStarted: number;
      /** 20 s after start with nothing asked of it: V8's memory reducer has given start-up's garbage back by then. */
      rssMiBIdle: number;
      rssMiBAfter100k: number;
      soak: { seconds: number; rssMiBAfter: number; rssMiBTwoMinutesLater: number; requests: number };
    };
    /** After the 4- and 200-connection runs as well: growth here would be a leak. */
    rssMiBAtEnd: number;
    scrapes: number;
  };
  nodeExporter?: { c4: LoadFigures; c200: LoadFigures; bodyBytes: number; series: number };
}

const hasCommand = (name: string): boolean => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;

export function processStat(pid: number): { cpuSeconds: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100, rssBytes: Number(rss?.[1] ?? 0) * 1024 };
}

const toMs = (value: string, unit: string): number =>
  Number(value) * (unit === 'us' ? 0.001 : unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : NaN);

/** wrk's summary: requests, requests/s, the 99th percentile, socket errors and non-2xx answers. */
export function parseWrk(text: string): Omit<LoadFigures, 'cpuMsPerScrape'> {
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(text);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  return {
    requests: Number(/(\d+) requests in/.exec(text)?.[1] ?? NaN),
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN),
    p99Ms: p99 ? toMs(p99[1] ?? '', p99[2] ?? '') : NaN,
    errors: (socket ? socket.slice(1).reduce((sum, count) => sum + Number(count), 0) : 0) + Number(non2xx?.[1] ?? 0),
  };
}

function load(url: string, pid: number, connections: number, seconds: number): LoadFigures {
  const before = processStat(pid).cpuSeconds;
  const threads = Math.min(2, connections);
  const run = spawnSync('wrk', [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', url], {
    encoding: 'utf8',
    timeout: (seconds + 30) * 1000,
  });
  const cpu = processStat(pid).cpuSeconds - before;
  const figures = parseWrk(run.stdout);
  return { ...figures, cpuMsPerScrape: (cpu * 1000) / figures.requests };
}

async function waitFor(url: string, text: string): Promise<string> {
  const started = Date.now();
  for (;;) {
    try {
      const body = await (await fetch(url)).text();
      if (body.includes(text)) return body;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 20_000) throw new Error(`${url} never served "${text}"`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const seriesIn = (body: string): number =>
  body.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/**
 * The Environment= assignments of the shipped systemd unit, so that the bench measures the agent as the unit starts
 * it (the XDG directories are the bench's own). Quoting as systemd reads it: "A=b c" is one assignment.
 */
export function unitEnvironment(unit: string): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const line of unit.split('\n')) {
    const assignments = /^Environment=(.*)$/.exec(line.trim())?.[1] ?? '';
    for (const word of assignments.match(/(?:[^\s"]+|"[^"]*")+/g) ?? []) {
      const [name = '', ...value] = word.replaceAll('"', '').split('=');
      if (!name.startsWith('XDG_')) environment[name] = value.join('=');
    }
  }
  return environment;
}

async function startAgent(
  cli: string,
  port: number,
  extra: string[],
  unit?: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; body: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'argus-bench-agent-'));
  const config = join(dir, 'agent.json');
  writeFileSync(config, JSON.stringify({ poll_interval: 15, server: { listen: `127.0.0.1:${port}` } }));
  // As a unit: its environment only, as systemd gives it; by hand: the shell's.
  const base = unit ? { PATH: process.env.PATH ?? '/usr/bin:/bin', ...unit } : process.env;
  const child = spawn(process.execPath, [cli, 'agent', '-c', config, ...extra], {
    stdio: 'ignore',
    env: { ...base, XDG_DATA_HOME: join(dir, 'data'), XDG_STATE_HOME: join(dir, 'state') },
  });
  const url = `http://127.0.0.1:${port}/metrics`;
  return { child, url, body: await waitFor(url, 'argus_check_status') };
}

/** Scrapes at 4 connections until 100,000 were served; returns RSS then. */
function scrape100k(url: string, pid: number): { rssMiB: number; scrapes: number } {
  let scrapes = 0;
  while (scrapes < 100_000) scrapes += load(url, pid, 4, 2).requests;
  return { rssMiB: processStat(pid).rssBytes / 2 ** 20, scrapes };
}

/** wrk at 8 connections for `seconds`, then RSS at once and two minutes after the load ended. */
async function soak(url: string, pid: number, seconds: number): Promise<AgentBench['argus']['asService']['soak']> {
  const { requests } = load(url, pid, 8, seconds);
  const rssMiBAfter = processStat(pid).rssBytes / 2 ** 20;
  await new Promise((resolve) => setTimeout(resolve, 120_000));
  return { seconds, requests, rssMiBAfter, rssMiBTwoMinutesLater: processStat(pid).rssBytes / 2 ** 20 };
}

/** null when wrk is missing: the figures need a load generator outside Node, on the same machine. */
export async function benchAgent(cli: string, seconds = 10, soakSeconds = 600): Promise<AgentBench | null> {
  if (!hasCommand('wrk')) return null;
  const result: Partial<AgentBench> = {};
  const bare = await startAgent(cli, 19186, ['--no-history']);
  let rssMiBAfter100kNoHistory: number;
  try {
    rssMiBAfter100kNoHistory = scrape100k(bare.url, bare.child.pid ?? 0).rssMiB;
  } finally {
    await stop(bare.child);
  }
  const environment = unitEnvironment(
    readFileSync(join(dirname(cli), '..', 'contrib', 'systemd', 'argus-agent.service'), 'utf8'),
  );
  const service = await startAgent(cli, 19189, [], environment);
  let asService: AgentBench['argus']['asService'];
  try {
    const pid = service.child.pid ?? 0;
    const rssMiBStarted = processStat(pid).rssBytes / 2 ** 20;
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    const rssMiBIdle = processStat(pid).rssBytes / 2 ** 20;
    const rssMiBAfter100k = scrape100k(service.url, pid).rssMiB;
    asService = {
      environment,
      rssMiBStarted,
      rssMiBIdle,
      rssMiBAfter100k,
      soak: await soak(service.url, pid, soakSeconds),
    };
  } finally {
    await stop(service.child);
  }
  const agent = await startAgent(cli, 19187, []);
  try {
    const pid = agent.child.pid ?? 0;
    const rssMiBIdle = processStat(pid).rssBytes / 2 ** 20;
    const first = scrape100k(agent.url, pid);
    const c4 = load(agent.url, pid, 4, seconds);
    const c200 = load(agent.url, pid, 200, seconds);
    result.argus = {
      c4,
      c200,
      bodyBytes: Buffer.byteLength(agent.body),
      series: seriesIn(agent.body),
      rssMiBIdle,
      rssMiBAfter100k: first.rssMiB,
      rssMiBAfter100kNoHistory,
      asService,
      rssMiBAtEnd: processStat(pid).rssBytes / 2 ** 20,
      scrapes: first.scrapes + c4.requests + c200.requests,
    };
  } finally {
    await stop(agent.child);
  }
  if (hasCommand('prometheus-node-exporter')) {
    const exporter = spawn('prometheus-node-exporter', ['--web.listen-address=127.0.0.1:19188'], { stdio: 'ignore' });
    try {
      const url = 'http://127.0.0.1:19188/metrics';
      const body = await waitFor(url, 'node_load1');
      result.nodeExporter = {
        c4: load(url, exporter.pid ?? 0, 4, seconds),
        c200: load(url, exporter.pid ?? 0, 200, seconds),
        bodyBytes: Buffer.byteLength(body),
        series: seriesIn(body),
      };
    } finally {
      await stop(exporter);
    }
  }
  return result as AgentBench;
}
