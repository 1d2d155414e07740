import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '..', '..');
export const BUILT_CLI = join(REPO, 'bin', 'argus.cjs');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** An environment with its own HOME and XDG dirs, so the built CLI never reads or writes the real ones. */
export function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'argus-it-'));
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.state'),
    XDG_DATA_HOME: join(home, '.data'),
    ...extra,
  };
}

/** Starts the built `argus` as a user would; the caller waits with finished(). */
export function startCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; command?: string[] } = {}) {
  const env = options.env ?? isolatedEnv();
  const [file = process.execPath, ...prefix] = options.command ?? [process.execPath, BUILT_CLI];
  const child: ChildProcess = spawn(file, [...prefix, ...args], {
    cwd: options.cwd ?? env.HOME,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<CliRun>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    child,
    finished,
    output: () => ({ stdout, stderr }),
    async waitForOutput(predicate: (stdout: string, stderr: string) => boolean, timeoutMs = 15_000): Promise<void> {
      const started = Date.now();
      while (!predicate(stdout, stderr)) {
        if (Date.now() - started > timeoutMs)
          throw new Error(`timed out waiting for output; stdout: ${stdout.slice(-500)} stderr: ${stderr.slice(-500)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

export const runCli = (args: string[], options: Parameters<typeof startCli>[1] = {}): Promise<CliRun> =>
  startCli(args, options).finished;

/** `argus agent` on 127.0.0.1:port with this config (JSON, in an isolated HOME), a cycle a second unless it says. */
export function startAgentOn(port: number, config: Record<string, unknown>, args: string[] = []) {
  const env = isolatedEnv();
  const file = join(env.HOME ?? '', 'agent.json');
  writeFileSync(file, JSON.stringify({ poll_interval: 1, ...config, server: { listen: `127.0.0.1:${port}` } }));
  return startCli(['agent', ...args, '-c', file], { env });
}
