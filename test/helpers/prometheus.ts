import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './loopback-receiver.ts';

const hasCommand = (name: string): boolean => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;

/** .ci/run installs the Debian packages the tests run against; a developer machine without one skips, CI never. */
export function requireCommand(t: { skip(message: string): void }, name: string): boolean {
  if (hasCommand(name)) return true;
  assert.ok(!process.env.CI, `CI must have ${name} (.ci/run installs it from Debian)`);
  t.skip(`${name} is not installed`);
  return false;
}

export interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

export interface RunningPrometheus {
  port: number;
  /** An instant query (or a range selector, whose raw samples come in `values`). */
  query(expression: string, atSeconds?: number): Promise<PromSeries[]>;
  /** A range query over [start, end] (Unix seconds), as a Grafana panel runs it. */
  queryRange(expression: string, start: number, end: number, stepSeconds: number): Promise<PromSeries[]>;
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory (after stop()). */
  start(): Promise<void>;
}

/**
 * Debian's Prometheus on loopback with its own temp data directory: scraping the given targets every second (job
 * names as keys), and receiving remote write when asked. Resolves once it answers queries.
 */
export async function startPrometheus(
  options: { scrape?: Record<string, string>; remoteWriteReceiver?: boolean } = {},
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'argus-prometheus-'));
  const port = await freePort();
  const jobs = Object.entries(options.scrape ?? {})
    .map(([job, target]) => `  - job_name: ${job}\n    static_configs:\n      - targets: ["${target}"]\n`)
    .join('');
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${jobs || '  []\n'}`,
  );
  const base = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const api = async (path: string, parameters: Record<string, string>): Promise<PromSeries[]> => {
    const response = await fetch(`${base}${path}?${new URLSearchParams(parameters).toString()}`);
    const body = (await response.json()) as { status: string; error?: string; data: { result: PromSeries[] } };
    assert.equal(body.status, 'success', `${parameters.query}: ${body.error}`);
    return body.data.result;
  };

  const start = async (): Promise<void> => {
    child = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        ...(options.remoteWriteReceiver ? ['--web.enable-remote-write-receiver'] : []),
      ],
      { stdio: 'ignore' },
    );
    const started = Date.now();
    for (;;) {
      const ready = await fetch(`${base}/-/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return;
      assert.ok(Date.now() - started < 60_000, 'Prometheus did not get ready within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  await start();
  return {
    port,
    query: (expression, atSeconds) =>
      api('/api/v1/query', { query: expression, ...(atSeconds === undefined ? {} : { time: String(atSeconds) }) }),
    queryRange: (expression, startSeconds, end, step) =>
      api('/api/v1/query_range', {
        query: expression,
        start: String(startSeconds),
        end: String(end),
        step: String(step),
      }),
    start,
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
  };
}
