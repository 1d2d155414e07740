import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import bcrypt from 'bcryptjs';
import type { Page } from 'playwright-core';
import { attributeNumbers, linePixels, needsChromium, openPage, scrollUntilAll } from '../helpers/browser.ts';
import { isolatedEnv, startCli } from '../helpers/cli.ts';
import { eventually } from '../helpers/eventually.ts';
import { freePort, startReceiver } from '../helpers/loopback-receiver.ts';
import { createTestPki } from '../helpers/test-ca.ts';
import { defaultChecksBatch, generateHistory } from '../helpers/synthetic-history.ts';

/** An agent at a 1 s interval over a history that already holds 12 hours of this host's default checks at 60 s. */
async function startDashboardAgent(server: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
  const env = isolatedEnv();
  const db = join(env.HOME!, 'history.db');
  generateHistory(await defaultChecksBatch(), db, Date.now(), { days: 0.5, intervalMs: 60_000 });
  const port = await freePort();
  const file = join(env.HOME!, 'agent.json');
  writeFileSync(
    file,
    JSON.stringify({
      poll_interval: 1,
      ...config,
      storage: { sqlite: { path: db } },
      server: { listen: `127.0.0.1:${port}`, ...server },
    }),
  );
  const cli = startCli(['agent', '-c', file], { env });
  await cli.waitForOutput((_, stderr) => /argus\.agent: listening/.test(stderr));
  return { cli, base: `http://127.0.0.1:${port}/` };
}

test('the dashboard: overview, charts by range and zoom, live cycles, processes, themes, a phone screen', async (t) => {
  if (!needsChromium(t)) return;
  const agent = await startDashboardAgent();
  const { page, problems, close } = await openPage();
  try {
    await page.goto(agent.base);
    await page.waitForSelector('body[data-ready="overview"]');
    const status = (await (await fetch(`${agent.base}api/v1/status`)).json()) as { results: unknown[] };
    assert.equal(await page.locator('[data-result]').count(), status.results.length, 'a card per check instance');
    const sparkPoints = await attributeNumbers(
      page,
      '[data-result^="disk"] canvas, [data-result="ram"] canvas',
      'data-points',
    );
    assert.ok(
      sparkPoints.length >= 2 && sparkPoints.every((points) => points >= 30),
      `sparklines: ${sparkPoints.join(' ')}`,
    );

    // A new cycle reaches the open page without a reload.
    const cycle = await page.getAttribute('body', 'data-cycle');
    // (A selector, not waitForFunction: the page's CSP forbids the eval that would need.)
    await page.waitForSelector(`body[data-cycle]:not([data-cycle="${cycle}"])`, { timeout: 15_000 });

    await page.click('a[data-tab="charts"]');
    await page.waitForSelector('body[data-ready="charts"][data-range="1h"]');
    await scrollUntilAll(page, '[data-chart]', 'data-points');
    const hour = await chartPoints(page);
    const pixels = await linePixels(page, '[data-chart]');
    // Series of the recorded 12 hours are lines; those only the live cycles wrote (a few seconds) are a dot or two.
    const full = hour.filter((points) => points >= 30).length;
    assert.ok(full >= 8, `${full} of ${hour.length} charts hold the last hour`);
    for (const [index, count] of pixels.entries()) {
      const enough = hour[index]! >= 30 ? count > 300 : count > 0;
      assert.ok(enough, `1h chart ${index}: ${hour[index]} points, ${count} line pixels`);
    }

    await page.click('button[data-range="24h"]');
    await page.waitForSelector('body[data-ready="charts"][data-range="24h"]');
    await scrollUntilAll(page, '[data-chart]', 'data-points');
    const day = await chartPoints(page);
    await page.evaluate('window.scrollTo(0, 0)');
    // The longest series: one the 12 recorded hours hold (those only live cycles wrote have a point or two).
    const longest = (points: number[]): number => Math.max(...points);
    assert.ok(
      longest(day) > longest(hour),
      `24h holds the 12 hours recorded: ${longest(day)} points against ${longest(hour)} for 1h`,
    );

    // Dragging across a chart zooms into that stretch.
    const plot = page.locator('[data-chart] .u-over').first();
    await plot.scrollIntoViewIfNeeded();
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForSelector('body[data-range="zoom"] button.reset');
    const [from, to] = (await page.getAttribute('body', 'data-window'))!.split(' ').map(Number);
    const hours = (to! - from!) / 3_600_000;
    assert.ok(hours > 3.5 && hours < 6, `the dragged fifth of 24 hours: ${hours.toFixed(2)} h`);
    assert.ok(longest(await chartPoints(page)) > 100, 'drawn at the finer resolution of the shorter window');

    await page.click('a[data-tab="processes"]');
    await page.waitForSelector('body[data-ready="processes"]');
    const commands = await page.locator('td.command').allTextContents();
    assert.ok(commands.length >= 3 && commands.some((command) => command.includes('argus')), commands.join('\n'));
    assert.ok(!commands.some((command) => /^\[kworker/.test(command)), 'kernel threads left out');

    await page.selectOption('select[aria-label="Theme"]', 'dark');
    const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    assert.equal(background, 'rgb(20, 24, 28)', 'the dark theme');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.click('a[data-tab="overview"]');
    await page.waitForSelector('body[data-ready="overview"]');
    assert.ok(
      (await page.evaluate<number>('document.documentElement.scrollWidth')) <= 390,
      'nothing wider than a phone screen',
    );
    assert.deepEqual(problems, [], 'no console error, page error or CSP violation');
  } finally {
    await close();
    agent.cli.child.kill('SIGTERM');
    await agent.cli.finished;
  }
});

const chartPoints = (page: Page): Promise<number[]> => attributeNumbers(page, '[data-chart]', 'data-points');

test('right after the first cycle every card draws its sparkline: one sample is a flat line, not an empty card', async (t) => {
  if (!needsChromium(t)) return;
  const env = isolatedEnv();
  const port = await freePort();
  const file = join(env.HOME!, 'agent.json');
  writeFileSync(file, JSON.stringify({ poll_interval: 60, server: { listen: `127.0.0.1:${port}` } }));
  const cli = startCli(['agent', '-c', file], { env });
  const { page, problems, close } = await openPage();
  try {
    const base = `http://127.0.0.1:${port}/`;
    await eventually(
      async () => {
        const answer = await fetch(`${base}api/v1/charts?range=1h&main=1`).catch(() => undefined);
        return answer?.ok === true && ((await answer.json()) as { charts: unknown[] }).charts.length > 0;
      },
      'the first cycle in history',
      20_000,
    );
    await page.goto(base);
    await page.waitForSelector('body[data-ready="overview"]');
    const cards = await page.locator('[data-result]').count();
    const drawn = await attributeNumbers(page, '[data-result] canvas', 'data-points');
    assert.ok(cards >= 3);
    assert.equal(drawn.length, cards, `sparklines drawn on ${drawn.length} of ${cards} cards`);
    assert.ok(
      (await linePixels(page, '[data-result]')).every((count) => count > 0),
      'each draws pixels',
    );
    assert.deepEqual(problems, []);
  } finally {
    await close();
    cli.child.kill('SIGTERM');
    await cli.finished;
  }
});

test('the dashboard is served compressed, cached by content hash, under a strict CSP, and weighs under 150 KB', async () => {
  const agent = await startDashboardAgent();
  try {
    const page = await fetch(agent.base, { headers: { 'accept-encoding': 'gzip' } });
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'; script-src 'self'; style-src 'self'/);
    assert.doesNotMatch(csp, /unsafe/);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const html = await page.text();
    assert.doesNotMatch(html, /<script>|<style>|\sstyle=|https?:\/\//, 'no inline code, nothing from elsewhere');
    const assets = [...html.matchAll(/(?:src|href)="(assets\/[^"]+)"/g)].map((match) => match[1]!);
    assert.equal(assets.length, 3, 'script, style, icon');
    let compressed = 0;
    for (const asset of assets) {
      const response = await fetch(`${agent.base}${asset}`, { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      // Node's fetch decompresses; the length header is what went over the wire.
      assert.equal(response.headers.get('content-encoding'), 'gzip');
      compressed += Number(response.headers.get('content-length'));
      assert.ok((await response.text()).length > 200);
    }
    assert.ok(compressed < 150_000, `${compressed} bytes compressed`);
    assert.equal((await fetch(`${agent.base}assets/dashboard.js`)).status, 404, 'only the hashed names exist');
  } finally {
    agent.cli.child.kill('SIGTERM');
    await agent.cli.finished;
  }
});

test('with server.auth the page, its assets and its data need the credentials; with them it renders', async (t) => {
  if (!needsChromium(t)) return;
  const agent = await startDashboardAgent({ auth: { password_hashes: { admin: bcrypt.hashSync('look-at-me', 8) } } });
  try {
    const page = await fetch(agent.base);
    assert.equal(page.status, 401);
    assert.match(page.headers.get('www-authenticate') ?? '', /^Basic/);
    const withCredentials = {
      authorization: `Basic ${Buffer.from('admin:look-at-me').toString('base64')}`,
    };
    const html = await (await fetch(agent.base, { headers: withCredentials })).text();
    const script = /src="(assets\/[^"]+)"/.exec(html)![1]!;
    assert.equal((await fetch(`${agent.base}${script}`)).status, 401);
    assert.equal((await fetch(`${agent.base}api/v1/charts?range=1h`)).status, 401);
    assert.equal((await fetch(`${agent.base}api/v1/charts?range=1h`, { headers: withCredentials })).status, 200);

    const browser = await openPage({ httpCredentials: { username: 'admin', password: 'look-at-me' } });
    try {
      await browser.page.goto(agent.base);
      await browser.page.waitForSelector('body[data-ready="overview"]');
      assert.ok((await browser.page.locator('[data-result]').count()) > 0);
      assert.deepEqual(browser.problems, []);
    } finally {
      await browser.close();
    }
  } finally {
    agent.cli.child.kill('SIGTERM');
    await agent.cli.finished;
  }
});

test('the Alerts tab lists the alert events and what each notifier made of them', async (t) => {
  if (!needsChromium(t)) return;
  const pki = createTestPki();
  const ops = await startReceiver({ pki });
  const pager = await startReceiver({ pki, answers: [{ status: 400 }] });
  const agent = await startDashboardAgent(
    {},
    {
      enabled_checks: ['ram'],
      thresholds: { ram: { crit: '@0:100' } },
      alerts: {
        for_cycles: 1,
        notify: [
          { type: 'webhook', name: 'ops', url: `${ops.url}/argus`, ca_file: pki.caFile },
          { type: 'webhook', name: 'pager', url: `${pager.url}/argus`, ca_file: pki.caFile },
        ],
      },
    },
  );
  const { page, problems, close } = await openPage();
  try {
    await eventually(() => ops.received.length > 0 && pager.received.length > 0, 'both notifiers called');
    const api = (await (await fetch(`${agent.base}api/v1/alerts`)).json()) as {
      enabled: boolean;
      events: { kind: string; status: string; deliveries: Record<string, { outcome: string }> }[];
    };
    assert.equal(api.enabled, true);
    const firing = api.events.find((event) => event.kind === 'firing')!;
    assert.equal(firing.status, 'CRIT');
    await page.goto(`${agent.base}#alerts`);
    await page.waitForSelector('body[data-ready="alerts"] tr[data-alert="firing"]');
    const cells = await page.locator('tr[data-alert="firing"] .delivery').allTextContents();
    assert.deepEqual(cells.sort(), ['ops: delivered', 'pager: dropped']);
    assert.deepEqual(problems, []);
  } finally {
    await close();
    agent.cli.child.kill('SIGTERM');
    await agent.cli.finished;
    await ops.close();
    await pager.close();
  }
});
