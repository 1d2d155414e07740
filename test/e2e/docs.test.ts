import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DOCS, generatedPages } from '../../scripts/docs/generate.ts';

test('the generated reference pages in docs/ are current (npm run docs writes them)', async () => {
  const pages = await generatedPages();
  assert.deepEqual(Object.keys(pages).sort(), ['checks.md', 'cli.md', 'configuration.md', 'metrics.md']);
  for (const [name, text] of Object.entries(pages)) {
    const committed = readFileSync(join(DOCS, name), 'utf8');
    assert.ok(committed === text, `docs/${name} is stale: run \`npm run docs\` and commit it`);
  }
  // They hold what they promise: every config key, check, series family and command.
  assert.match(pages['configuration.md'] ?? '', /\| `poll_interval` +\|.*`ARGUS_POLL_INTERVAL`/);
  assert.match(pages['configuration.md'] ?? '', /#### `sinks` of `type: remote_write`/);
  assert.match(pages['checks.md'] ?? '', /\| `used_percent` +\| % +\| `argus_disk_used_ratio` +\|/);
  assert.match(pages['metrics.md'] ?? '', /\| `argus_check_status` +\| gauge +\|/);
  assert.match(pages['metrics.md'] ?? '', /\| `node_cpu_seconds_total` +\| counter +\|/);
  assert.match(pages['cli.md'] ?? '', /## argus service install\n/);
});
