import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';

async function scriptFor(shell: string): Promise<string> {
  const run = await runCli(['completion', shell]);
  assert.equal(run.code, 0, run.stderr);
  const path = join(mkdtempSync(join(tmpdir(), 'argus-completion-')), `argus.${shell}`);
  writeFileSync(path, run.stdout);
  return path;
}

/** Loads the generated script into a real bash and asks it to complete the given words. */
function complete(script: string, words: string[]): string[] {
  const line = `source '${script}'; COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _argus; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', line], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\n').filter(Boolean);
}

test('the bash completion completes commands, options and option values in a real bash', async () => {
  const script = await scriptFor('bash');
  assert.deepEqual(complete(script, ['argus', 'st']), ['status']);
  assert.deepEqual(complete(script, ['argus', 'status', '--out']), ['--output']);
  assert.deepEqual(complete(script, ['argus', 'status', '-o', '']), ['table', 'json']);
  assert.deepEqual(complete(script, ['argus', 'status', '--once', '-c', 'x.yaml', '--ch']), ['--checks']);
  assert.deepEqual(complete(script, ['argus', 'config', '']), ['check']);
  assert.deepEqual(complete(script, ['argus', 'completion', '']), ['bash', 'zsh', 'fish']);
  assert.ok(complete(script, ['argus', '']).includes('version'));
});

test('the zsh and fish scripts are generated from the same tree', async () => {
  const zsh = await runCli(['completion', 'zsh']);
  assert.match(zsh.stdout, /^#compdef argus\n/);
  assert.match(zsh.stdout, /'status\|--output'\) echo 'table json'/);
  const fish = await runCli(['completion', 'fish']);
  assert.match(
    fish.stdout,
    /complete -c argus -n '__fish_seen_subcommand_from status' -s o -l output -x -a 'table json'/,
  );
  assert.match(fish.stdout, /complete -c argus -n '__fish_use_subcommand' -a 'checks' -d /);
  for (const [shell, text] of [
    ['zsh', zsh.stdout],
    ['fish', fish.stdout],
  ] as const) {
    if (spawnSync('which', [shell]).status !== 0) continue;
    const path = join(mkdtempSync(join(tmpdir(), 'argus-completion-')), `argus.${shell}`);
    writeFileSync(path, text);
    assert.equal(spawnSync(shell, ['-n', path]).status, 0, `${shell} -n`);
  }
});
