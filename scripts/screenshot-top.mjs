#!/usr/bin/env node
// The README's picture of `argus top`, made from a real run: argus top in a tmux pane, its screen captured with
// colours (capture-pane -e), turned into HTML and photographed by headless Chromium. A `sha256sum /dev/zero` runs
// meanwhile, so the picture shows what top is for: which process is busy.
//   npm run build && node scripts/screenshot-top.mjs [docs/img/argus-top.png] [COLUMNSxROWS]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const REPO = join(import.meta.dirname, '..');
const output = process.argv[2] ?? join(REPO, 'docs', 'img', 'argus-top.png');
const [columns, rows] = (process.argv[3] ?? '120x36').split('x').map(Number);
const socket = `argus-screenshot-${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'argus-screenshot-'));
const tmux = (...args) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

const load = spawn('sha256sum', ['/dev/zero'], { stdio: 'ignore' });
writeFileSync(join(work, 'tmux.conf'), 'set -g status off\nset -g default-terminal xterm-256color\n');
tmux(
  '-f',
  join(work, 'tmux.conf'),
  'new-session',
  '-d',
  '-s',
  'top',
  '-x',
  String(columns),
  '-y',
  String(rows),
  '-e',
  'LANG=C.UTF-8',
  '-e',
  'TERM=xterm-256color',
  `exec ${process.execPath} ${join(REPO, 'bin', 'argus.cjs')} top -i 1`,
);
// Long enough for the check cycle, two refreshes with rates, and a few points of every sparkline.
await delay(8000);
const screen = tmux('capture-pane', '-p', '-e', '-t', 'top').stdout;
tmux('kill-server');
load.kill();

const PALETTE = ['#1e1e1e', '#e06c75', '#98c379', '#e5c07b', '#61afef', '#c678dd', '#56b6c2', '#dcdfe4'];
const BRIGHT = ['#7f848e', '#ff7b86', '#b5e890', '#ffd787', '#8cc8ff', '#e599ff', '#7fdbe6', '#ffffff'];
const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** SGR colour codes to spans: the few tmux writes back for what argus top draws (bold, inverse, 16 colours). */
function toHtml(text) {
  let state = { fg: undefined, bold: false, inverse: false };
  let html = '';
  let open = false;
  // eslint-disable-next-line no-control-regex -- SGR codes are what is parsed
  for (const part of text.split(/(\x1b\[[0-9;]*m)/)) {
    // eslint-disable-next-line no-control-regex -- SGR codes are what is parsed
    const sgr = /^\x1b\[([0-9;]*)m$/.exec(part);
    if (!sgr) {
      html += escapeHtml(part);
      continue;
    }
    const codes = sgr[1] === '' ? [0] : sgr[1].split(';').map(Number);
    for (let index = 0; index < codes.length; index += 1) {
      const code = codes[index];
      if (code === 0) state = { fg: undefined, bold: false, inverse: false };
      else if (code === 1) state.bold = true;
      else if (code === 7) state.inverse = true;
      else if (code === 22) state.bold = false;
      else if (code === 27) state.inverse = false;
      else if (code === 39) state.fg = undefined;
      else if (code >= 30 && code <= 37) state.fg = PALETTE[code - 30];
      else if (code >= 90 && code <= 97) state.fg = BRIGHT[code - 90];
      else if (code === 38 && codes[index + 1] === 5) {
        const colour = codes[index + 2];
        state.fg = colour < 8 ? PALETTE[colour] : colour < 16 ? BRIGHT[colour - 8] : undefined;
        index += 2;
      }
    }
    if (open) html += '</span>';
    const fg = state.fg ?? '#dcdfe4';
    const style = state.inverse ? `color:#1e1e1e;background:${fg}` : `color:${fg}`;
    html += `<span style="${style}${state.bold ? ';font-weight:bold' : ''}">`;
    open = true;
  }
  return html + (open ? '</span>' : '');
}

const page = join(work, 'top.html');
writeFileSync(
  page,
  `<!doctype html><meta charset="utf-8"><style>body{margin:0;background:#1e1e1e}pre{margin:0;padding:12px;font:14px/1.25 "DejaVu Sans Mono",monospace;color:#dcdfe4}</style><pre>${toHtml(screen)}</pre>`,
);
const width = Math.ceil(columns * 8.43 + 24);
const height = Math.ceil(rows * 17.5 + 24);
const shot = spawnSync(
  'chromium',
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--hide-scrollbars',
    `--window-size=${width},${height}`,
    `--screenshot=${output}`,
    `file://${page}`,
  ],
  { encoding: 'utf8' },
);
if (shot.status !== 0) {
  console.error(shot.stderr);
  process.exit(1);
}
console.log(`${output} (${columns}x${rows})`);
