import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTestIo } from '../../test/helpers/test-io.ts';
import { main } from '../cli/main.ts';
import { loadConfig } from '../config/load.ts';
import { createHost } from '../collect/host.ts';
import { ConfigError } from '../errors.ts';
import { checks } from './registry.ts';
import { loadPlugins } from './plugins.ts';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'spool-queue.mjs');

function spool(): string {
  const dir = mkdtempSync(join(tmpdir(), 'argus-spool-'));
  mkdirSync(join(dir, 'sub'));
  for (const [index, file] of ['a', 'b', 'sub/c'].entries()) {
    writeFileSync(join(dir, file), 'x'.repeat(10));
    const when = Date.now() / 1000 - 3600 * (index + 1);
    utimesSync(join(dir, file), when, when);
  }
  return dir;
}

test('the example plugin loads, its options are validated, and it runs like a built-in check', async () => {
  const dir = spool();
  const io = createTestIo();
  const config = join(io.cwd, 'argus.yaml');
  writeFileSync(
    config,
    `plugins: [${EXAMPLE}]\nenabled_checks: [spool_queue]\nchecks:\n  spool_queue: { directories: [${dir}] }\nthresholds:\n  spool_queue:\n    oldest_seconds: { warn: 7200 }\n`,
  );
  assert.equal(await main(['status', '--once', '-o', 'json', '-c', config], io), 0, io.err.join(''));
  const [result] = (
    JSON.parse(io.out.join('')) as { results: { status: string; metrics: Record<string, number>; details: string }[] }
  ).results;
  assert.equal(result?.metrics.files, 3);
  assert.equal(result?.metrics.bytes, 30);
  assert.ok(Math.abs((result?.metrics.oldest_seconds ?? 0) - 3 * 3600) < 60);
  assert.equal(result?.status, 'WARN');
  assert.match(result?.details ?? '', /3 files waiting, oldest 108\d\ds \[WARN oldest_seconds=/);
  const listing = createTestIo();
  await main(['checks', '-o', 'json', '-c', config], listing);
  assert.ok(
    (JSON.parse(listing.out.join('')) as { name: string; enabled: boolean }[]).some(
      (row) => row.name === 'spool_queue' && row.enabled,
    ),
  );
  const nagios = createTestIo();
  assert.equal(await main(['check', 'spool_queue', '--config', config, '-w', '2', '-c', '5'], nagios), 1);
  assert.match(nagios.out.join(''), /^SPOOL_QUEUE WARNING - .* \| '.*'=3;2;5 /);
  writeFileSync(config, `plugins: [${EXAMPLE}]\nchecks:\n  spool_queue: { directory: /tmp }\n`);
  const bad = createTestIo();
  assert.equal(await main(['status', '--once', '-c', config], bad), 78);
  assert.match(
    bad.err.join(''),
    /checks\.spool_queue\.directory: unknown key "directory"; did you mean "directories"\?/,
  );
});

test('loadPlugins() explains what is wrong with a plugin, file by file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-plugins-'));
  const write = (name: string, body: string) => {
    writeFileSync(join(dir, name), body);
    return name;
  };
  const problems = async (file: string) => {
    try {
      await loadPlugins([file], dir, checks);
      return 'loaded';
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return `${error.message}\n${error.issues.join('\n')}`;
    }
  };
  assert.match(
    await problems(write('empty.mjs', 'export const x = 1;\n')),
    /it must export a check[\s\S]*\(export\): /,
  );
  assert.match(
    await problems(
      write(
        'shape.mjs',
        "export default { name: 'Bad Name', description: '', metrics: [{ name: 'x', unit: 'furlongs', help: '' }], mainMetric: 'y', create: 1 };\n",
      ),
    ),
    /name: must be lower-case[\s\S]*description: must say[\s\S]*metrics\.0\.unit: must be one of[\s\S]*create: must be a function/,
  );
  assert.match(
    await problems(
      write(
        'main.mjs',
        "export default { name: 'ok', description: 'd', metrics: [{ name: 'x', unit: 'count', help: '' }], mainMetric: 'y', create: () => () => [] };\n",
      ),
    ),
    /mainMetric must be one of the declared metrics/,
  );
  assert.match(
    await problems(
      write(
        'clash.mjs',
        "export default { name: 'disk', description: 'd', metrics: [{ name: 'x', unit: 'count', help: '' }], mainMetric: 'x', create: () => () => [] };\n",
      ),
    ),
    /name "disk" is a built-in check/,
  );
  assert.match(
    await problems(write('throws.mjs', "export default () => { throw new Error('no redis'); };\n")),
    /its factory threw\n.*no redis/,
  );
  assert.match(await problems(write('syntax.mjs', 'export default {\n')), /Cannot load plugin/);
  assert.match(await problems('missing.mjs'), /Cannot load plugin ".*missing\.mjs"/);
  const plain = write(
    'plain.cjs',
    "module.exports = { check: { name: 'plain', description: 'd', metrics: [{ name: 'x', unit: 'count', help: '' }], mainMetric: 'x', create: () => () => [{ metrics: { x: 2 } }] } };\n",
  );
  const loaded = await loadPlugins([plain], dir, checks);
  assert.equal(loaded.plain?.summarize({ instance: 'i', metrics: { x: 2, y: 1.234 } }), 'i: x=2, y=1.23');
  await assert.rejects(loadPlugins([plain, plain], dir, checks), (error: ConfigError) =>
    /name "plain" is also the name of/.test(error.issues.join()),
  );
});

test('plugin paths are relative to the config file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-plugins-'));
  mkdirSync(join(dir, 'checks'));
  writeFileSync(
    join(dir, 'checks', 'one.mjs'),
    "export default ({ defineCheck, v }) => defineCheck({ name: 'one', description: 'd', options: v.strictObject({ n: v.optional(v.number(), 1) }), metrics: [{ name: 'n', unit: 'count', help: '' }], mainMetric: 'n', create: (o) => () => [{ metrics: { n: o.n } }], summarize: () => 'one' });\n",
  );
  writeFileSync(join(dir, 'argus.yaml'), 'plugins: [checks/one.mjs]\nchecks:\n  one: { n: 5 }\n');
  const loaded = await loadConfig({ flagPath: join(dir, 'argus.yaml'), env: {}, cwd: tmpdir() });
  assert.ok(loaded.checks.one);
  assert.deepEqual((loaded.config.checks as Record<string, unknown>).one, { n: 5 });
});

test('a plugin that reuses and changes its objects cannot change readings Argus already holds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-plugin-'));
  const file = join(dir, 'reuse.mjs');
  writeFileSync(
    file,
    `const metrics = { runs: 0 };
export default ({ defineCheck }) => defineCheck({
  name: 'reuse', description: 'counts its runs', mainMetric: 'runs',
  metrics: [{ name: 'runs', unit: 'count', help: 'runs so far' }],
  create: () => () => { metrics.runs += 1; return [{ metrics, labels: { run: String(metrics.runs) } }]; },
});\n`,
  );
  const { reuse } = await loadPlugins([file], dir, checks);
  const collect = reuse?.create({});
  const context = { host: createHost(), signal: new AbortController().signal, monotonicMs: () => 0 };
  const first = await collect?.(context);
  await collect?.(context);
  assert.deepEqual(first, [{ metrics: { runs: 1 }, labels: { run: '1' } }]);
});
