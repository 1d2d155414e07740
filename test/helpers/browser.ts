// Pages opened in the real Chromium from Debian through playwright-core (no browser download): what a person sees.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

/** Skips on a developer machine without Chromium; CI has it (.ci/run installs it), so there it must be found. */
export function needsChromium(t: { skip(message: string): void }): boolean {
  if (CHROMIUM) return true;
  assert.ok(!process.env.CI, 'CI must have Chromium (.ci/run installs it)');
  t.skip('chromium is not installed');
  return false;
}

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught exceptions and Content-Security-Policy violations, as they came. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * A fresh browser with one page that records every console error, page error and CSP violation. The network is
 * cut except loopback (a proxy that answers nothing), so a page that fetched from anywhere else would fail.
 */
export async function openPage(
  options: {
    colorScheme?: 'light' | 'dark';
    width?: number;
    height?: number;
    httpCredentials?: { username: string; password: string };
  } = {},
) {
  const { chromium } = await import('playwright-core');
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM!,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--proxy-server=127.0.0.1:9',
      '--proxy-bypass-list=127.0.0.1;localhost;[::1]',
    ],
  });
  const page = await browser.newPage({
    viewport: { width: options.width ?? 1100, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? 'light',
    ...(options.httpCredentials ? { httpCredentials: options.httpCredentials } : {}),
  });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && response.status() !== 401)
      problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  // In-page code is a string: this file is type-checked for Node, without the DOM's types.
  await page.addInitScript(
    `document.addEventListener('securitypolicyviolation', (event) =>
      console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI))`,
  );
  return { page, problems, close: () => browser.close() } satisfies WatchedPage;
}

/**
 * Pixels of each chart's canvas in the colour of its average line: what was really drawn, not that a canvas exists.
 * `selector` finds the chart holders; the colour is read from the page's --chart-avg.
 */
export function linePixels(page: Page, selector: string): Promise<number[]> {
  return page.evaluate(`(() => {
    const colour = getComputedStyle(document.documentElement).getPropertyValue('--chart-avg').trim();
    const probe = document.createElement('canvas').getContext('2d');
    probe.fillStyle = colour;
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
    return [...document.querySelectorAll(${JSON.stringify(selector)})].map((holder) => {
      const canvas = holder.querySelector('canvas');
      if (!canvas) return 0;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let at = 0; at < data.length; at += 4)
        if (Math.abs(data[at] - r) + Math.abs(data[at + 1] - g) + Math.abs(data[at + 2] - b) < 40) count++;
      return count;
    });
  })()`);
}

/** A numeric attribute of every element `selector` finds (charts' data-points), in document order. */
export function attributeNumbers(page: Page, selector: string, attribute: string): Promise<number[]> {
  return page.evaluate(
    `[...document.querySelectorAll(${JSON.stringify(selector)})].map((node) => Number(node.getAttribute(${JSON.stringify(attribute)})))`,
  );
}

/**
 * Scrolls a page to its end a screen at a time, as a reader would, until every element `selector` finds carries
 * `attribute` (the dashboard draws charts as they come near the screen).
 */
export async function scrollUntilAll(page: Page, selector: string, attribute: string): Promise<void> {
  const missing = (): Promise<number> =>
    page.evaluate(`document.querySelectorAll(${JSON.stringify(`${selector}:not([${attribute}])`)}).length`);
  for (let step = 0; step < 200 && (await missing()) > 0; step++) {
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(30);
  }
  assert.equal(await missing(), 0, `every ${selector} drawn once scrolled to`);
}
