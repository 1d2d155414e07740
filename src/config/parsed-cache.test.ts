import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_PARSED_CACHE_ENTRIES, readParsedCache, writeParsedCache } from './parsed-cache.ts';

test('the parsed-config cache keeps 16 entries: those of vanished files go first, then the oldest written', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-parsed-'));
  const cacheDir = join(dir, 'cache');
  mkdirSync(cacheDir, { mode: 0o700 });
  const key = Symbol.for('argus.cacheDir');
  (globalThis as Record<symbol, unknown>)[key] = cacheDir;
  t.after(() => delete (globalThis as Record<symbol, unknown>)[key]);
  const entries = () => readdirSync(cacheDir).filter((name) => name.endsWith('.json'));

  const entryOf: string[] = [];
  const configs = Array.from({ length: MAX_PARSED_CACHE_ENTRIES }, (_, index) => join(dir, `c${index}.yaml`));
  configs.forEach((path, index) => {
    writeFileSync(path, `poll_interval: ${index + 1}\n`);
    writeParsedCache(path, statSync(path), { sha256: `sha${index}`, value: { poll_interval: index + 1 } });
    // Written one minute apart, c0 first.
    const when = Date.now() / 1000 - 3600 + index * 60;
    const written = entries().find((name) => !entryOf.includes(name));
    assert.ok(written);
    entryOf.push(written);
    utimesSync(join(cacheDir, written), when, when);
  });
  assert.equal(entries().length, MAX_PARSED_CACHE_ENTRIES, 'nothing is pruned up to the bound');

  // c5's file is gone; two more configs are parsed: c5's entry goes first, then the oldest (c0).
  rmSync(configs[5] ?? '');
  for (const name of ['d0.yaml', 'd1.yaml']) {
    const path = join(dir, name);
    writeFileSync(path, 'poll_interval: 5\n');
    writeParsedCache(path, statSync(path), { sha256: name, value: { poll_interval: 5 } });
  }
  assert.equal(entries().length, MAX_PARSED_CACHE_ENTRIES);
  assert.ok(!entries().includes(entryOf[5] ?? ''), "the vanished file's entry went");
  const cached = (path: string) => readParsedCache(path, statSync(path))?.sha256;
  assert.equal(cached(configs[0] ?? ''), undefined, 'the oldest entry went');
  assert.equal(cached(configs[1] ?? ''), 'sha1', 'the next oldest stays');
  assert.equal(cached(join(dir, 'd1.yaml')), 'd1.yaml', 'the newest stays');
  assert.equal(cached(configs[15] ?? ''), 'sha15');
});
