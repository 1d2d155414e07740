import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cellWidth } from '../../src/format/cells.ts';
import { BUILT_CLI, isolatedEnv } from '../helpers/cli.ts';
import { eventually } from '../helpers/eventually.ts';

// tmux is the real terminal here: `send-keys` types as a person would, `capture-pane` reads what is on screen.
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
// A new server socket for every session: `kill-server` returns before the old server has gone, and a session
// started on its socket meanwhile fails with "server exited unexpectedly" (seen on a loaded 2-core CI machine).
let sessions = 0;
const socket = (): string => `argus-tmux-${process.pid}-${sessions}`;
const stopTmux = (): void => void spawnSync('tmux', ['-L', socket(), 'kill-server']);

const tmux = (...args: string[]): string => {
  const run = spawnSync('tmux', ['-L', socket(), ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
};

/** The screen as lines; -J joins a line the terminal wrapped, so a line too wide shows as one longer line. */
const screen = (): string[] => tmux('capture-pane', '-p', '-J', '-t', 'top').replace(/\n$/, '').split('\n');

/** Runs `argus ARGS` in a fresh tmux window of exactly width x height, then prints its exit code and waits. */
function startArgus(args: string, width: number, height: number, env: NodeJS.ProcessEnv): void {
  const command = `${process.execPath} ${BUILT_CLI} ${args}; echo "EXIT=$?"; sleep 600`;
  // No status line: the pane is then the whole window.
  const conf = join(env.HOME ?? tmpdir(), 'tmux.conf');
  writeFileSync(conf, 'set -g status off\n');
  sessions += 1;
  const variables = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value ?? ''}`]);
  tmux('-f', conf, 'new-session', '-d', '-s', 'top', '-x', String(width), '-y', String(height), ...variables, command);
}

function assertFits(lines: readonly string[], width: number, height: number): void {
  assert.equal(lines.length, height, `${height} rows`);
  for (const line of lines) assert.ok(cellWidth(line.trimEnd()) <= width, `wider than ${width}: "${line}"`);
}

const processRows = (lines: readonly string[]): string[] => {
  const header = lines.findIndex((line) => /^\s+PID USER/.test(line));
  return lines.slice(header + 1, -1).filter((line) => /^\s*\d+ /.test(line));
};

for (const [width, height] of [
  [80, 24],
  [120, 40],
  [200, 60],
] as const) {
  test(
    `argus top in tmux at ${width}x${height}: fits, finds a process, sorts, resizes, q exits 0 to the normal screen`,
    { skip: !hasTmux && 'tmux is not installed' },
    async () => {
      const marker = `4000.${process.pid}${width}`;
      const sleeper = spawn('sleep', [marker], { stdio: 'ignore' });
      const env = isolatedEnv({ TERM: 'xterm-256color', LANG: 'C.UTF-8', ARGUS_SAMPLE_WINDOW: '0.1' });
      try {
        startArgus('top -i 1', width, height, env);
        await eventually(
          () => screen()[0]?.includes('checks') === true && /Tasks \d+/.test(screen().join('\n')),
          'the first frame',
        );
        let lines = screen();
        assertFits(lines, width, height);
        assert.match(lines[0] ?? '', /\S+ {2}(OK|WARN|CRIT|UNKNOWN|checks)/, 'the header: host and overall status');
        assert.match(lines.at(-1) ?? '', /q Quit$/, 'the key bar at the bottom');
        assert.ok(
          lines.some((line) => line.startsWith('CPU ')),
          'the CPU meter',
        );
        assert.ok(
          lines.some((line) => /\bMem /.test(line)),
          'the memory meter',
        );

        // Filter to the process this test started: it shows with its PID and command line.
        tmux('send-keys', '-t', 'top', '/', ...marker.split(''), 'Enter');
        // Typed key by key: until Enter, rows matching a prefix of the marker (or on screen anyway) may show.
        await eventually(() => {
          const rows = processRows(screen());
          const text = screen().join('\n');
          return (
            rows.length === 1 &&
            rows[0]?.includes(`sleep ${marker}`) === true &&
            text.includes(`filter: ${marker}`) &&
            !text.includes(`filter: ${marker}▏`) // Enter pressed: no longer editing
          );
        }, 'the filtered process, alone');
        lines = screen();
        const row = processRows(lines).find((candidate) => candidate.includes(`sleep ${marker}`)) ?? '';
        assert.match(row, new RegExp(`^\\s*${sleeper.pid} `), 'its PID first on the row');
        assert.equal(processRows(lines).length, 1, 'only it matches');
        assert.ok(
          lines.some((line) => line.includes(`filter: ${marker}`)),
          'the filter is shown',
        );
        tmux('send-keys', '-t', 'top', '/', 'Escape');
        await eventually(() => processRows(screen()).length > 3, 'the whole list again');

        // m sorts by resident memory: the RSS column then never grows down the list.
        tmux('send-keys', '-t', 'top', 'm');
        await eventually(() => screen().some((line) => /sort RSS/.test(line)), 'sorted by memory');
        const bytes = (text: string): number => {
          const match = /^([\d.]+)([KMGT]?)$/.exec(text);
          return Number(match?.[1]) * 1024 ** ' KMGT'.indexOf(match?.[2] || ' ');
        };
        const header = screen().find((line) => /^\s+PID USER/.test(line)) ?? '';
        const rssEnd = header.indexOf('RSS') + 3;
        const rss = processRows(screen()).map((line) => bytes(line.slice(rssEnd - 5, rssEnd).trim()));
        assert.ok(rss.length > 2);
        for (let index = 1; index < rss.length; index += 1)
          assert.ok((rss[index] ?? 0) <= (rss[index - 1] ?? 0), `RSS in order: ${rss.join(', ')}`);

        // A resize redraws to the new size.
        const [newWidth, newHeight] = width === 80 ? [100, 30] : [80, 24];
        tmux('resize-window', '-t', 'top', '-x', String(newWidth), '-y', String(newHeight));
        await eventually(
          () => screen().length === newHeight && (screen().at(-1) ?? '').includes('Quit'),
          'a redraw at the new size',
        );
        assertFits(screen(), newWidth, newHeight);

        tmux('send-keys', '-t', 'top', 'q');
        await eventually(() => screen().some((line) => line.startsWith('EXIT=')), 'argus top to exit');
        lines = screen().filter((line) => line.trim() !== '');
        assert.deepEqual(lines, ['EXIT=0'], 'exit 0, and the normal screen with nothing of the frame left');
      } finally {
        stopTmux();
        sleeper.kill();
        await once(sleeper, 'exit');
      }
    },
  );
}

test(
  'argus status -i 1 in tmux at 80x24 and 40x12: no wrapped line, the header stays on top, q quits with 0',
  { skip: !hasTmux && 'tmux is not installed' },
  async () => {
    const env = isolatedEnv({ TERM: 'xterm-256color', LANG: 'C.UTF-8', ARGUS_SAMPLE_WINDOW: '0.1' });
    // Many mounts and interfaces: more results than rows, so the header would scroll away if nothing was cut.
    const config = join(env.HOME ?? tmpdir(), 'many.yaml');
    writeFileSync(
      config,
      'enabled_checks: [cpu, ram, disk, network, procs]\nchecks:\n  procs:\n    match:\n' +
        Array.from(
          { length: 30 },
          (_, index) => `      group_${index}_with_a_long_name: { name: 'no-such-process-${index}' }\n`,
        ).join('') +
        'thresholds:\n  procs:\n    instances:\n' +
        Array.from({ length: 30 }, (_, index) => `      group_${index}_with_a_long_name: { crit: '1:' }\n`).join(''),
    );
    try {
      for (const [width, height] of [
        [80, 24],
        [40, 12],
      ] as const) {
        startArgus(`status -i 1 --no-history -c ${config}`, width, height, env);
        await eventually(() => /more \(worst shown first/.test(screen().join('\n')), 'a cycle drawn');
        // Two cycles: the second must redraw in place, not append below the first.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const lines = screen();
        for (const line of lines) assert.ok(cellWidth(line.trimEnd()) <= width, `wider than ${width}: "${line}"`);
        assert.match(
          lines[0] ?? '',
          /^\S+( \(container\))? {2}\d{4}-\d\d-\d\dT/,
          `the header on the first row:\n${lines.join('\n')}`,
        );
        assert.equal(
          lines.filter((line) => /^\S+( \(container\))? {2}\d{4}-/.test(line)).length,
          1,
          'one frame on screen',
        );
        assert.ok(lines.some((line) => line.includes('CRIT')));
        tmux('send-keys', '-t', 'top', 'q');
        await eventually(() => screen().some((line) => line.startsWith('EXIT=')), 'status to exit on q');
        assert.ok(screen().includes('EXIT=0'));
        stopTmux();
      }
    } finally {
      stopTmux();
    }
  },
);

test(
  'argus top with NO_COLOR and LANG=C in tmux: no colour or attribute codes, nothing outside ASCII',
  { skip: !hasTmux && 'tmux is not installed' },
  async () => {
    const env = isolatedEnv({ TERM: 'xterm-256color', LANG: 'C', NO_COLOR: '1', ARGUS_SAMPLE_WINDOW: '0.1' });
    try {
      startArgus('top -i 1', 100, 30, env);
      await eventually(() => /Tasks \d+/.test(screen().join('\n')), 'the first frame');
      // -e keeps the SGR codes the pane holds: with NO_COLOR there must be none.
      const withCodes = tmux('capture-pane', '-p', '-e', '-t', 'top');
      assert.doesNotMatch(withCodes, new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`), withCodes);
      assert.doesNotMatch(withCodes, /[^\n\x20-\x7e]/, 'ASCII only');
      tmux('send-keys', '-t', 'top', 'q');
      await eventually(() => screen().includes('EXIT=0'), 'exit 0');
    } finally {
      stopTmux();
    }
  },
);
