import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { originalStack } from './original-stack.ts';

/** A package laid out as Argus ships: src/, and dist/ with a minified bundle and its map beside it. */
async function minifiedBundle(): Promise<{ run: () => unknown; dist: string }> {
  const root = mkdtempSync(join(tmpdir(), 'argus-stack-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(
    join(root, 'src', 'deep.ts'),
    [
      'export function explodeDeep(count: number): number {',
      "  if (count > 1) throw new Error('boom');",
      '  return count;',
      '}',
    ].join('\n'),
  );
  writeFileSync(
    join(root, 'src', 'main.ts'),
    [
      "import { explodeDeep } from './deep.ts';",
      'function middleLayer(value: number): number {',
      '  return explodeDeep(value * 2) + 1;',
      '}',
      'export function runIt(): number {',
      '  return middleLayer(5);',
      '}',
    ].join('\n'),
  );
  await build({
    entryPoints: [join(root, 'src', 'main.ts')],
    outfile: join(root, 'dist', 'argus.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    minify: true,
    sourcemap: 'external',
    sourcesContent: false,
    logLevel: 'silent',
  });
  const bundle = createRequire(import.meta.url)(join(root, 'dist', 'argus.cjs')) as { runIt: () => unknown };
  return { run: bundle.runIt, dist: join(root, 'dist') };
}

function stackOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).stack ?? '';
  }
  assert.fail('expected a throw');
}

test('frames of a minified bundle point at the sources again, with their functions named', async () => {
  const { run, dist } = await minifiedBundle();
  const stack = stackOf(run);
  assert.match(stack, /argus\.cjs:1:\d+/, 'the raw stack is all line 1 of the bundle');
  assert.doesNotMatch(stack, /explodeDeep|middleLayer/, 'and its names are minified');
  const original = originalStack(stack).split('\n');
  assert.equal(original[0], 'Error: boom');
  assert.equal(original[1], '    at explodeDeep (src/deep.ts:2:24)');
  assert.equal(original[2], '    at middleLayer (src/main.ts:3:10)');
  // Called from outside the bundle, by a caller with no map: the place is mapped, the name stays minified.
  assert.match(original[3] ?? '', /^ {4}at \S+ \(src\/main\.ts:6:10\)$/);
  // This test's own frame has no map beside it: as V8 wrote it.
  assert.ok(original.includes(stack.split('\n').find((line) => line.includes('original-stack.test.ts')) ?? ''));
  rmSync(join(dist, 'argus.cjs.map'));
  assert.equal(originalStack(stack), stack, 'without the map nothing changes');
});

test('a map that cannot be read or parsed leaves the stack alone', () => {
  const stack = 'TypeError: x\n    at a (/opt/argus/dist/argus.cjs:1:10)\n    at /opt/argus/dist/argus.cjs:1:99';
  assert.equal(
    originalStack(stack, () => '{ not json'),
    stack,
  );
  assert.equal(
    originalStack(stack, () => {
      throw new Error('EACCES');
    }),
    stack,
  );
});
