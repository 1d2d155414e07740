import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { attributeNumbers, linePixels, needsChromium, openPage } from '../helpers/browser.ts';
import { isolatedEnv, runCli, startCli } from '../helpers/cli.ts';
import { defaultChecksBatch, generateHistory } from '../helpers/synthetic-history.ts';

interface JsonReport {
  host: string;
  source: string;
  metrics: { check: string; instance: string; metric: string; samples: number; min: number; max: number }[];
  statuses: { check: string; seconds: Record<string, number> }[];
}

test('the status loop records history that `argus report` summarizes, in every format', async () => {
  const env = isolatedEnv();
  const db = join(env.XDG_DATA_HOME!, 'argus', 'history.db');
  const cli = startCli(['status', '-i', '0.3', '-o', 'json', '--checks', 'cpu,ram,disk'], { env });
  await cli.waitForOutput((stdout) => stdout.split('\n').filter(Boolean).length >= 5);
  cli.child.kill('SIGTERM');
  const loop = await cli.finished;
  assert.equal(loop.code, 0, loop.stderr);
  assert.ok(existsSync(db), 'the loop records by default');
  assert.ok(!existsSync(`${db}-wal`), 'the WAL is checkpointed into the database at exit');
  const cycles = loop.stdout.split('\n').filter(Boolean).length;

  const json = await runCli(['report', '-o', 'json'], { env });
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as JsonReport;
  assert.equal(report.source, 'raw');
  const usage = report.metrics.find((metric) => metric.check === 'ram' && metric.metric === 'used_percent');
  assert.ok(usage && usage.samples >= 5 && usage.samples <= cycles, `ram samples: ${usage?.samples} of ${cycles}`);
  assert.ok(usage.min > 0 && usage.max <= 100);
  assert.ok(report.metrics.some((metric) => metric.check === 'disk' && metric.instance === '/'));
  assert.deepEqual(report.statuses.map((entry) => entry.check).sort(), ['cpu', 'disk', 'ram']);

  const table = await runCli(['report', '--check', 'ram'], { env });
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /│ ram +│ +│ used_percent +│ [\d.]+% +│/);
  assert.match(table.stdout, /Time in each status/);
  const csv = await runCli(['report', '-o', 'csv', '--check', 'ram', '--metric', 'used_percent'], { env });
  assert.equal(csv.stdout.split('\r\n').filter(Boolean).length, 2);
  const markdown = await runCli(['report', '-o', 'markdown', '--since', '1h'], { env });
  assert.match(markdown.stdout, /^# Argus report for /);
});

test("--once records nothing unless asked; --no-history turns the loop's recording off", async () => {
  const env = isolatedEnv();
  const db = join(env.XDG_DATA_HOME!, 'argus', 'history.db');
  assert.equal((await runCli(['status', '--once', '--checks', 'ram'], { env })).code, 0);
  assert.ok(!existsSync(db));
  const cli = startCli(['status', '-i', '0.2', '-o', 'json', '--checks', 'ram', '--no-history'], { env });
  await cli.waitForOutput((stdout) => stdout.split('\n').filter(Boolean).length >= 2);
  cli.child.kill('SIGTERM');
  await cli.finished;
  assert.ok(!existsSync(db));
  const once = await runCli(['status', '--once', '--history', '--checks', 'ram', '-o', 'json'], { env });
  assert.equal(once.code, 0, once.stderr);
  const report = JSON.parse((await runCli(['report', '-o', 'json'], { env })).stdout) as JsonReport;
  assert.equal(report.metrics.find((metric) => metric.metric === 'used_percent')?.samples, 1);
});

test('a missing or empty history and a bad window give one clear line and exit 66 or 64, never a stack', async () => {
  const env = isolatedEnv();
  const missing = await runCli(['report'], { env });
  assert.equal(missing.code, 66);
  assert.match(missing.stderr, /^argus: No history at .*history\.db\n {2}hint: /);
  await runCli(['status', '--once', '--history', '--checks', 'ram'], { env });
  const empty = await runCli(['report', '--since', '2020-01-01', '--until', '2020-01-02'], { env });
  assert.equal(empty.code, 66);
  assert.match(empty.stderr, /Nothing recorded between 2020-01-01 00:00 and 2020-01-02 00:00/);
  assert.match(empty.stderr, /hint: the history covers /);
  // A check never recorded is a mistyped name (64, with the names there are), not a quiet window (66).
  const unknownCheck = await runCli(['report', '--check', 'rma'], { env });
  assert.equal(unknownCheck.code, 64);
  assert.match(
    unknownCheck.stderr,
    /Unknown check "rma" in --check; did you mean "ram"\?\n {2}hint: the history holds: ram/,
  );
  const quietCheck = await runCli(['report', '--check', 'ram', '--since', '2020-01-01', '--until', '2020-01-02'], {
    env,
  });
  assert.equal(quietCheck.code, 66, 'a known check with nothing in the window');
  // An HTML file that cannot be written: 73 (EX_CANTCREAT) with the path, not a configuration error.
  const unwritable = await runCli(['report', '--html', join(env.HOME!, 'no-such-dir', 'r.html')], { env });
  assert.equal(unwritable.code, 73);
  assert.match(unwritable.stderr, /^argus: Cannot write .*no-such-dir\/r\.html: ENOENT/);
  const bad = await runCli(['report', '--since', 'yesterday'], { env });
  assert.equal(bad.code, 64);
  assert.match(bad.stderr, /Option --since needs a duration/);
  for (const run of [missing, empty, unknownCheck, unwritable, bad]) assert.doesNotMatch(run.stderr, /\n\s+at /);
});

/** Opens a report file in Chromium; every chart must have drawn its line, and nothing may have failed. */
async function renderReport(
  html: string,
): Promise<{ charts: number; points: number[]; pixels: number[]; heading: string }> {
  const { page, problems, close } = await openPage();
  try {
    await page.goto(`file://${html}`);
    await page.waitForSelector('body[data-charts]');
    const charts = Number(await page.getAttribute('body', 'data-charts'));
    assert.equal(charts, await page.locator('[data-chart]').count(), 'every chart holder was drawn');
    const points = await attributeNumbers(page, '[data-chart]', 'data-points');
    const pixels = await linePixels(page, '[data-chart]');
    assert.deepEqual(problems, [], 'no console error, page error or CSP violation');
    return { charts, points, pixels, heading: (await page.textContent('h1')) ?? '' };
  } finally {
    await close();
  }
}

test('the HTML report of a few live cycles: self-contained, every chart draws its line in Chromium', async (t) => {
  if (!needsChromium(t)) return;
  const env = isolatedEnv();
  const cli = startCli(['status', '-i', '0.2', '-o', 'json', '--checks', 'ram,disk'], { env });
  await cli.waitForOutput((stdout) => stdout.split('\n').filter(Boolean).length >= 4);
  cli.child.kill('SIGTERM');
  await cli.finished;
  const html = join(mkdtempSync(join(tmpdir(), 'argus-html-')), 'report.html');
  const run = await runCli(['report', '--html', html, '-o', 'json'], { env });
  assert.equal(run.code, 0, run.stderr);
  const metrics = (JSON.parse(run.stdout) as JsonReport).metrics.length;
  const page = readFileSync(html, 'utf8');
  assert.doesNotMatch(page, /\s(src|href)=/, 'nothing to fetch');
  const drawn = await renderReport(html);
  // Which series moved in a second of cycles depends on the machine (used bytes do, totals never): each metric is a
  // chart or a line of text saying its one value.
  const constants = page.match(/<p class="constant">/g)?.length ?? 0;
  assert.equal(drawn.charts + constants, metrics, `${drawn.charts} charts and ${constants} constants`);
  assert.ok(drawn.charts >= 1 && constants >= 1);
  for (const [index, count] of drawn.pixels.entries())
    assert.ok(count > 50 && drawn.points[index]! >= 2, `chart ${index}: ${count} line pixels`);
});

test('12 hours and 30 days of the default checks at the default 60 s: every chart a line, the file small', async (t) => {
  if (!needsChromium(t)) return;
  const env = isolatedEnv();
  const dir = mkdtempSync(join(tmpdir(), 'argus-html-'));
  const batch = await defaultChecksBatch();
  for (const [days, since] of [
    [0.5, '12h'],
    [30, '30d'],
  ] as const) {
    const db = join(dir, `${since}.db`);
    generateHistory(batch, db, Date.now(), { days, intervalMs: 60_000 });
    const html = join(dir, `${since}.html`);
    const run = await runCli(['report', '--db', db, '--since', since, '--html', html, '--tz', 'Asia/Tokyo'], { env });
    assert.equal(run.code, 0, run.stderr);
    const bytes = statSync(html).size;
    assert.ok(bytes < 500_000, `${since}: ${bytes} bytes`);
    const drawn = await renderReport(html);
    assert.ok(drawn.charts >= 8, `${since}: ${drawn.charts} charts`);
    assert.match(drawn.heading, /\(Asia\/Tokyo\)/);
    for (const [index, count] of drawn.pixels.entries()) {
      // A line across the chart: hundreds of points, thousands of pixels, no column of dots.
      assert.ok(drawn.points[index]! > 300, `${since} chart ${index}: ${drawn.points[index]} points`);
      assert.ok(count > 1000, `${since} chart ${index}: ${count} line pixels`);
    }
  }
});

test('a reload that moves storage.sqlite.path moves recording to the new file', async () => {
  const env = isolatedEnv();
  const config = join(env.HOME!, 'argus.yaml');
  const first = join(env.HOME!, 'first.db');
  const second = join(env.HOME!, 'second.db');
  const write = (path: string) =>
    writeFileSync(
      config,
      `enabled_checks: [ram]\npoll_interval: 0.2\noutput_format: json\nstorage: { sqlite: { path: ${path} } }\n`,
    );
  write(first);
  const cli = startCli(['status', '-c', config], { env });
  await cli.waitForOutput((stdout) => stdout.split('\n').filter(Boolean).length >= 3);
  write(second);
  cli.child.kill('SIGHUP');
  await cli.waitForOutput(() => existsSync(second));
  const lines = cli.output().stdout.split('\n').length;
  await cli.waitForOutput((stdout) => stdout.split('\n').length > lines + 3);
  cli.child.kill('SIGTERM');
  assert.equal((await cli.finished).code, 0);
  for (const db of [first, second]) {
    const run = await runCli(['report', '--db', db, '-o', 'json'], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.ok((JSON.parse(run.stdout) as JsonReport).metrics[0]!.samples >= 1, db);
  }
});
