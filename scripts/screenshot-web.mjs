#!/usr/bin/env node
// The README's pictures of the dashboard and the HTML report, made from a real run: an agent at a 1 s interval for
// three minutes, with two bursts of `sha256sum /dev/zero` on every core that take cpu past its thresholds (an
// incident, an alert event), then the dashboard photographed in headless Chromium and `argus report --html` of the
// same history. Both pictures show the last minutes of this machine, as a user would see them.
//   npm run build && node scripts/screenshot-web.mjs [docs/img]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const REPO = join(import.meta.dirname, '..');
const CLI = join(REPO, 'bin', 'argus.cjs');
const output = process.argv[2] ?? join(REPO, 'docs', 'img');
const work = mkdtempSync(join(tmpdir(), 'argus-screenshot-'));
const port = 19180 + (process.pid % 500);
const db = join(work, 'history.db');
writeFileSync(
  join(work, 'argus.yaml'),
  [
    'poll_interval: 1',
    `server: { listen: "127.0.0.1:${port}" }`,
    `storage: { sqlite: { path: "${db}" } }`,
    'thresholds: { cpu: { warn: 50, crit: 80 } }',
    'alerts: { for_cycles: 3 }',
    '',
  ].join('\n'),
);
const env = { ...process.env, XDG_STATE_HOME: join(work, 'state'), XDG_CONFIG_HOME: join(work, 'config') };
const agent = spawn(process.execPath, [CLI, 'agent', '-c', join(work, 'argus.yaml')], { env, stdio: 'ignore' });
const burn = async (seconds) => {
  const loads = Array.from({ length: availableParallelism() }, () =>
    spawn('sha256sum', ['/dev/zero'], { stdio: 'ignore' }),
  );
  await delay(seconds * 1000);
  for (const load of loads) load.kill();
};
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  const base = `http://127.0.0.1:${port}/`;
  await delay(50_000);
  await burn(25);
  await delay(45_000);
  // The overview in the middle of the second burst: cpu CRIT, at the top, its sparkline climbing.
  const second = burn(30);
  await delay(20_000);
  await page.goto(base);
  await page.waitForSelector('body[data-ready="overview"]');
  await delay(500);
  await page.screenshot({ path: join(output, 'dashboard.png') });
  await second;
  await delay(40_000);
  // The charts tab over 15 minutes, zoomed (by dragging, as a user would) onto the three minutes recorded.
  await page.goto(`${base}#charts`);
  await page.click('button[data-range="15m"]');
  await page.waitForSelector('body[data-ready="charts"][data-range="15m"]');
  const box = await page.locator('[data-chart] .u-over').first().boundingBox();
  await page.mouse.move(box.x + box.width * 0.77, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await page.waitForSelector('body[data-range="zoom"]');
  await delay(500);
  await page.screenshot({ path: join(output, 'dashboard-charts.png') });

  const html = join(work, 'report.html');
  const report = spawnSync(
    process.execPath,
    [CLI, 'report', '--db', db, '--since', '10m', '--check', 'cpu', '--html', html],
    {
      env,
      encoding: 'utf8',
    },
  );
  if (report.status !== 0) throw new Error(report.stderr);
  const reportPage = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
  await reportPage.goto(`file://${html}`);
  await reportPage.waitForSelector('body[data-charts]');
  await reportPage.screenshot({ path: join(output, 'report.png') });
} finally {
  await browser.close();
  agent.kill('SIGTERM');
}
console.log(`wrote ${join(output, 'dashboard.png')}, dashboard-charts.png and report.png`);
