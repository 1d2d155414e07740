// The dashboard and the HTML report (#19): page weight, first render in headless Chromium, what an open dashboard
// costs the agent, how fast a 30-day range and a 30-day report answer. All against the generated month of (h2).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { freePort } from '../test/helpers/loopback-receiver.ts';
import { processStat } from './agent.ts';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export interface WebBench {
  /** Bytes over the wire for the page, its script, style and icon, gzipped as the agent serves them. */
  pageGzipBytes: number;
  /** Navigation to the drawn page, median of 5 loads: the overview, and the charts tab over 24 hours. */
  overviewMs: number;
  charts24hMs: number;
  charts24h: number;
  /** The agent's CPU at a 10 s interval, as % of one core, with no page open and with the charts tab open (1h). */
  idleCpuPercent: number;
  openCpuPercent: number;
  seconds: number;
  /** /api/v1/charts?range=30d over the month, median of 10, measured from the client. */
  range30dMs: number;
  range30dBytes: number;
  /** `argus report --since 30d --html`: wall time (median of 5) and the file's size. */
  reportHtmlMs: number;
  reportHtmlBytes: number;
}

export async function benchWeb(cli: string, monthDb: string, seconds = 120): Promise<WebBench> {
  const work = mkdtempSync(join(tmpdir(), 'argus-bench-web-'));
  const db = join(work, 'history.db');
  copyFileSync(monthDb, db);
  const port = await freePort();
  writeFileSync(
    join(work, 'agent.json'),
    JSON.stringify({ poll_interval: 10, storage: { sqlite: { path: db } }, server: { listen: `127.0.0.1:${port}` } }),
  );
  const env = { ...process.env, XDG_STATE_HOME: join(work, 'state'), XDG_CONFIG_HOME: join(work, 'config') };
  const agent = spawn(process.execPath, [cli, 'agent', '-c', join(work, 'agent.json')], { env, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}/`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    for (let tries = 0; tries < 100; tries++) {
      if ((await fetch(`${base}healthz`).catch(() => undefined))?.status === 200) break;
      await delay(100);
    }
    // Page weight: what a first visit downloads.
    const gzip = { 'accept-encoding': 'gzip' };
    const html = await (await fetch(base, { headers: gzip })).text();
    let pageGzipBytes = Number((await fetch(base, { headers: gzip })).headers.get('content-length'));
    for (const [, asset] of html.matchAll(/(?:src|href)="(assets\/[^"]+)"/g))
      pageGzipBytes += Number((await fetch(`${base}${asset}`, { headers: gzip })).headers.get('content-length'));

    // First render: a fresh context each time (no cache), navigation start to the page's data-ready mark.
    const load = async (hash: string, range?: string): Promise<{ ms: number; charts: number }> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      if (range) await context.addInitScript(`localStorage.setItem('argus.range', '${range}')`);
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${base}${hash}`);
      await page.waitForSelector(`body[data-ready="${hash.slice(1) || 'overview'}"]`);
      const ms = performance.now() - started;
      const charts = await page.locator('[data-chart]').count();
      await context.close();
      return { ms, charts };
    };
    await load('');
    const overview: number[] = [];
    const day: number[] = [];
    let charts24h = 0;
    for (let round = 0; round < 5; round++) {
      overview.push((await load('')).ms);
      const drawn = await load('#charts', '24h');
      day.push(drawn.ms);
      charts24h = drawn.charts;
    }

    // A 30-day range, as the dashboard asks it.
    const month: number[] = [];
    let range30dBytes = 0;
    for (let round = 0; round < 11; round++) {
      const started = performance.now();
      const body = await (await fetch(`${base}api/v1/charts?range=30d`)).arrayBuffer();
      if (round > 0) month.push(performance.now() - started);
      range30dBytes = body.byteLength;
    }

    // The agent's CPU with nobody looking, then with the charts tab open over the last hour (redrawn every cycle).
    const cpuOver = async (ms: number): Promise<number> => {
      const before = processStat(agent.pid!).cpuSeconds;
      const started = performance.now();
      await delay(ms);
      return ((processStat(agent.pid!).cpuSeconds - before) / ((performance.now() - started) / 1000)) * 100;
    };
    const idleCpuPercent = await cpuOver(seconds * 1000);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}#charts`);
    await page.waitForSelector('body[data-ready="charts"]');
    const openCpuPercent = await cpuOver(seconds * 1000);
    await context.close();

    // The report of the same month, as a file.
    const reportTimes: number[] = [];
    const file = join(work, 'month.html');
    for (let round = 0; round < 6; round++) {
      const started = performance.now();
      const run = spawnSync(process.execPath, [cli, 'report', '--db', db, '--since', '30d', '--html', file], {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      if (run.status !== 0) throw new Error(`report --html exited ${String(run.status)}: ${run.stderr.toString()}`);
      if (round > 0) reportTimes.push(performance.now() - started);
    }
    return {
      pageGzipBytes,
      overviewMs: median(overview),
      charts24hMs: median(day),
      charts24h,
      idleCpuPercent,
      openCpuPercent,
      seconds,
      range30dMs: median(month),
      range30dBytes,
      reportHtmlMs: median(reportTimes),
      reportHtmlBytes: statSync(file).size,
    };
  } finally {
    await browser.close();
    agent.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Standalone: node --import tsx bench/web.ts MONTH.db  (npm run bench runs it after generating the month)
  const figures = await benchWeb(
    join(import.meta.dirname, '..', 'bin', 'argus.cjs'),
    process.argv[2]!,
    Number(process.env.BENCH_WEB_SECONDS ?? 120),
  );
  console.log(JSON.stringify(figures, null, 2));
}
