/**
 * `argus top` beside htop and Glances (#18): each in its own tmux pane of 120x40 (a real terminal), at a 2 s
 * refresh, with 300 extra processes started here, for the same seconds in the same run. CPU is utime + stime of
 * the tool's process (all its threads) over the window, RSS its VmRSS at the end. Also: how soon the first frame
 * shows and how soon a key redraws, read off tmux's screen (so an upper bound, tmux's own capture included).
 *
 *   node --import tsx bench/top.ts            (BENCH_TOP_SECONDS=60 by default)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '..');
const CLI = join(REPO, 'bin', 'argus.cjs');
const SOCKET = `argus-bench-top-${process.pid}`;
const EXTRA_PROCESSES = 300;
const TICKS_PER_SECOND = 100;

const tmux = (...args: string[]) => spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1]) / 1024;
}

const screen = (session: string): string => tmux('capture-pane', '-p', '-t', session).stdout;

async function until(condition: () => boolean, limitMs = 20_000): Promise<boolean> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) return false;
    await sleep(2);
  }
  return true;
}

export interface ToolFigures {
  cpuPercent: number;
  rssMiB: number;
}

/** Starts `command` (exec'd, so the pane's pid is the tool's) and measures it over `seconds` after a warm-up. */
async function measure(session: string, command: string, ready: RegExp, seconds: number, env: string[]) {
  const conf = join(mkdtempSync(join(tmpdir(), 'bench-top-')), 'tmux.conf');
  writeFileSync(conf, 'set -g status off\n');
  const started = performance.now();
  tmux(
    '-f',
    conf,
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    '120',
    '-y',
    '40',
    ...env.flatMap((pair) => ['-e', pair]),
    `exec ${command}`,
  );
  const drawn = await until(() => ready.test(screen(session)));
  const firstFrameMs = performance.now() - started;
  if (!drawn) throw new Error(`${command}: no frame within 20 s:\n${screen(session)}`);
  const pid = Number(tmux('display', '-p', '-t', session, '#{pane_pid}').stdout.trim());
  await sleep(5000); // the first refreshes and any start-up work are not the steady cost
  const before = cpuTicks(pid);
  const from = performance.now();
  await sleep(seconds * 1000);
  const cpuPercent = ((cpuTicks(pid) - before) / TICKS_PER_SECOND / ((performance.now() - from) / 1000)) * 100;
  return { pid, firstFrameMs, figures: { cpuPercent, rssMiB: rssMiB(pid) } };
}

export async function benchTop(seconds = Number(process.env.BENCH_TOP_SECONDS ?? 60)) {
  if (!has('tmux')) return undefined;
  const extras: ChildProcess[] = [];
  for (let index = 0; index < EXTRA_PROCESSES; index += 1)
    extras.push(spawn('sleep', ['3600'], { stdio: 'ignore', detached: false }));
  const processCount = readdirCount();
  const env = ['TERM=xterm-256color', 'LANG=C.UTF-8', `HOME=${mkdtempSync(join(tmpdir(), 'bench-top-home-'))}`];
  try {
    const nodeFlags = process.env.BENCH_TOP_NODE_FLAGS ?? '';
    const command = `${process.execPath} ${nodeFlags} ${CLI} top -i 2`;
    // The first run ever (a fresh HOME: no compile cache yet), then the measured one, which finds the cache that
    // run left, as every later start of `argus top` does.
    const cold = await measure('argus-cold', command, /Tasks \d+/, 0, env);
    tmux('kill-session', '-t', 'argus-cold');
    await until(() => !processAlive(cold.pid), 10_000);
    const argus = await measure('argus', command, /Tasks \d+/, seconds, env);
    // How soon a key redraws: `m` (sort by memory) until the screen says so.
    const keyStarted = performance.now();
    tmux('send-keys', '-t', 'argus', 'm');
    await until(() => /sort RSS/.test(screen('argus')));
    const keyRedrawMs = performance.now() - keyStarted;
    tmux('kill-session', '-t', 'argus');
    // The floor for the first frame: Node starting and printing one line, in the same kind of pane.
    const nodeFloor = await measure(
      'node',
      `${process.execPath} -e "console.log('ready'); setTimeout(() => {}, 1e6)"`,
      /ready/,
      1,
      env,
    );
    tmux('kill-session', '-t', 'node');
    if (process.env.BENCH_TOP_ONLY === 'argus')
      return {
        seconds,
        processCount,
        argus: { ...argus.figures, firstFrameMs: argus.firstFrameMs, firstFrameColdMs: cold.firstFrameMs, keyRedrawMs },
        nodeFirstOutputMs: nodeFloor.firstFrameMs,
        htop: undefined,
        glances: undefined,
      };
    const htop = has('htop') ? await measure('htop', 'htop -d 20', /Load average|Tasks:/, seconds, env) : undefined;
    tmux('kill-session', '-t', 'htop');
    const glances = has('glances') ? await measure('glances', 'glances -t 2', /CPU|LOAD/, seconds, env) : undefined;
    tmux('kill-session', '-t', 'glances');
    return {
      seconds,
      processCount,
      argus: { ...argus.figures, firstFrameMs: argus.firstFrameMs, firstFrameColdMs: cold.firstFrameMs, keyRedrawMs },
      nodeFirstOutputMs: nodeFloor.firstFrameMs,
      htop: htop?.figures,
      glances: glances?.figures,
    };
  } finally {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    for (const child of extras) child.kill();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readdirCount(): number {
  const list = spawnSync('sh', ['-c', 'ls /proc | grep -c "^[0-9]"'], { encoding: 'utf8' });
  return Number(list.stdout.trim());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchTop();
  console.log(JSON.stringify(result, null, 2));
}
