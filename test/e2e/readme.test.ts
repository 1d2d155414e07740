import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { BUILT_CLI, isolatedEnv, REPO } from '../helpers/cli.ts';

const README = join(REPO, 'README.md');
const SKIP = /^<!-- not run by the README test: (.+) -->$/;

interface Block {
  line: number;
  code: string;
  skipped?: string;
}

/** The fenced `sh` blocks of a Markdown text, with the reason when the comment line before one says not to run it. */
function shellBlocks(text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (lines[index] !== '```sh') continue;
    const end = lines.indexOf('```', index + 1);
    const before =
      lines
        .slice(0, index)
        .filter((line) => line.trim() !== '')
        .at(-1) ?? '';
    const reason = SKIP.exec(before)?.[1];
    blocks.push({
      line: index + 1,
      code: lines.slice(index + 1, end).join('\n'),
      ...(reason ? { skipped: reason } : {}),
    });
    index = end;
  }
  return blocks;
}

test('README.md is a portal of at most 15 KB whose every runnable command runs without an error', () => {
  const text = readFileSync(README, 'utf8');
  assert.ok(Buffer.byteLength(text) <= 15 * 1024, `README.md is ${Buffer.byteLength(text)} bytes`);
  const blocks = shellBlocks(text);
  const skipped = blocks.filter((block) => block.skipped);
  // Only the two install commands are shown without being run: they are what .ci/run itself runs.
  assert.deepEqual(
    skipped.map((block) => block.code),
    ['npm ci && npx argus status --once', 'npm ci && npm test'],
  );
  const runnable = blocks.filter((block) => !block.skipped);
  assert.ok(runnable.length >= 5, `${runnable.length} runnable blocks`);
  // `argus` on PATH is the one built here, as a global install would put it there.
  const bin = mkdtempSync(join(tmpdir(), 'argus-readme-bin-'));
  writeFileSync(join(bin, 'argus'), `#!/bin/sh\nexec "${process.execPath}" "${BUILT_CLI}" "$@"\n`);
  chmodSync(join(bin, 'argus'), 0o755);
  for (const block of runnable) {
    const env = isolatedEnv({ PATH: `${bin}:${process.env.PATH ?? ''}`, NO_COLOR: '1' });
    const run = spawnSync('bash', ['-o', 'pipefail', '-c', block.code], {
      cwd: REPO,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const where = `README.md:${block.line}\n${block.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
    assert.equal(run.status, 0, where);
    assert.doesNotMatch(run.stderr, /command not found|unexpected error|hint:/, where);
    assert.ok(run.stdout.trim().length > 0, `prints something: ${where}`);
  }
});

test('the YAML in README.md is valid: Argus config by `argus config check`, Prometheus config by promtool', (t) => {
  const text = readFileSync(README, 'utf8');
  const blocks = [...text.matchAll(/^```yaml\n([^]*?)^```$/gm)].map((match) => match[1] ?? '');
  assert.ok(blocks.length >= 2);
  const dir = mkdtempSync(join(tmpdir(), 'argus-readme-yaml-'));
  for (const [index, block] of blocks.entries()) {
    const file = join(dir, `block${index}.yaml`);
    writeFileSync(file, block);
    if (block.startsWith('scrape_configs:')) {
      if (spawnSync('sh', ['-c', 'command -v promtool']).status !== 0) {
        assert.ok(!process.env.CI, 'CI has promtool');
        t.diagnostic('promtool is not installed: the scrape config is not checked');
        continue;
      }
      const checked = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8' });
      assert.equal(checked.status, 0, `${block}\n${checked.stdout}${checked.stderr}`);
      continue;
    }
    const checked = spawnSync(process.execPath, [BUILT_CLI, 'config', 'check', '-c', file], {
      encoding: 'utf8',
      env: isolatedEnv(),
    });
    assert.equal(checked.status, 0, `${block}\n${checked.stderr}`);
  }
});

/** GitHub's heading anchors: lower case, punctuation gone, spaces as hyphens. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');

test('every relative link in README.md and docs/ points at a file that exists, and at a heading in it', () => {
  const pages = [
    README,
    ...readdirSync(join(REPO, 'docs'))
      .filter((file) => file.endsWith('.md'))
      .map((file) => join(REPO, 'docs', file)),
  ];
  const anchors = new Map<string, Set<string>>();
  const anchorsOf = (file: string): Set<string> => {
    let known = anchors.get(file);
    if (!known) {
      const text = readFileSync(file, 'utf8').replace(/```[^]*?```/g, '');
      known = new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => slug(match[1] ?? '')));
      anchors.set(file, known);
    }
    return known;
  };
  const broken: string[] = [];
  for (const page of pages) {
    const text = readFileSync(page, 'utf8').replace(/```[^]*?```/g, '');
    for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1] ?? '';
      if (/^[a-z]+:/.test(target)) continue;
      const [path = '', anchor] = target.split('#');
      const file = path === '' ? page : join(dirname(page), path);
      if (!existsSync(file)) broken.push(`${page.slice(REPO.length + 1)}: ${target} (no such file)`);
      else if (anchor !== undefined && file.endsWith('.md') && !anchorsOf(file).has(anchor))
        broken.push(`${page.slice(REPO.length + 1)}: ${target} (no such heading)`);
    }
  }
  assert.deepEqual(broken, []);
});
