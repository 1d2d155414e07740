import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { BUILT_CLI, isolatedEnv } from '../helpers/cli.ts';

// script(1) runs the built argus on a real pseudo-terminal, so stdout.isTTY is true as for a person at a shell.
const hasScript = spawnSync('script', ['--version']).status === 0;

test(
  'on a terminal the status table is drawn in place and coloured',
  { skip: !hasScript && 'script(1) is not installed' },
  () => {
    const env = isolatedEnv({ TERM: 'xterm-256color', ARGUS_SAMPLE_WINDOW: '0.1' });
    const command = `timeout -s INT 3 ${process.execPath} ${BUILT_CLI} status -i 0.5 --checks ram`;
    const result = spawnSync('script', ['-qfec', command, '/dev/null'], { env, encoding: 'utf8', timeout: 20_000 });
    const screen = result.stdout;
    assert.ok(screen.includes('\x1b[2J\x1b[H'), 'the first frame clears the screen');
    assert.ok(screen.split('\x1b[H').length > 3, 'later frames go back home and redraw');
    assert.ok(screen.includes('\x1b[32mOK'), 'OK is green');
    const piped = spawnSync(process.execPath, [BUILT_CLI, 'status', '--once', '--checks', 'ram'], {
      env,
      encoding: 'utf8',
    });
    assert.ok(!piped.stdout.includes('\x1b['), 'no escape codes on a pipe');
  },
);
