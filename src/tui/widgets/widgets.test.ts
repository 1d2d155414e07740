import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bar } from './bar.ts';
import { sparkline } from '../../format/sparkline.ts';
import { recentPoints, Ring } from './ring.ts';
import { localeIsUtf8, paint } from './style.ts';
import { cellWidth, fit, printable, toAscii, truncate, truncateMiddle } from '../../format/cells.ts';

const plain = { color: false, unicode: true };
const ascii = { color: false, unicode: false };

test('cellWidth counts terminal cells: wide CJK and emoji take two, combining marks and colour codes none', () => {
  assert.equal(cellWidth('top'), 3);
  assert.equal(cellWidth('日本語'), 6);
  assert.equal(cellWidth('e\u0301'), 1);
  assert.equal(cellWidth('🔥x'), 3);
  assert.equal(cellWidth('\x1b[31mred\x1b[0m'), 3);
});

test('truncate, truncateMiddle and fit never exceed the width, and mark what they cut', () => {
  assert.equal(truncate('abcdef', 4), 'abc…');
  assert.equal(truncate('abc', 4), 'abc');
  assert.equal(truncate('日本語テキスト', 5), '日本…');
  assert.equal(truncate('anything', 0), '');
  assert.equal(truncateMiddle('/srv/backup/daily/2026-12-05', 16), '/srv/bac…6-12-05');
  assert.equal(cellWidth(truncateMiddle('/srv/backup/daily/2026-12-05', 16)), 16);
  assert.equal(truncateMiddle('/srv', 16), '/srv');
  assert.equal(fit('ab', 5), 'ab   ');
  assert.equal(fit('ab', 5, 'right'), '   ab');
  assert.equal(fit('abcdefgh', 5, 'left', '~'), 'abcd~');
  assert.equal(toAscii('disk /: 96% [CRIT ≥ 90] ↓ 日本'), 'disk /: 96% [CRIT > 90] v ????');
  assert.equal(printable('evil\x1b[2Jname\n'), 'evil?[2Jname?', 'no escape from a command line reaches the terminal');
});

test('bars stack their segments in the width, with eighths in Unicode and "|" in ASCII', () => {
  assert.equal(bar([{ percent: 50, colour: 'green' }], 10, plain), '█████·····');
  assert.equal(bar([{ percent: 50, colour: 'green' }], 10, ascii), '|||||     ');
  assert.equal(bar([{ percent: 5, colour: 'green' }], 10, plain), '▌·········');
  const stacked = bar(
    [
      { percent: 30, colour: 'green' },
      { percent: 20, colour: 'red' },
    ],
    10,
    plain,
  );
  assert.equal(stacked, '█████·····');
  assert.equal(cellWidth(bar([{ percent: 150, colour: 'red' }], 7, plain)), 7, 'over 100 % stays in the bar');
  assert.equal(bar([], 3, plain), '···');
  assert.equal(bar([{ percent: 50, colour: 'green' }], 0, plain), '');
  assert.equal(paint({ color: true, unicode: true }, 'green', '██'), '\x1b[32m██\x1b[0m');
});

test('sparklines scale to a given range or the points own, show gaps, and right-align recent points', () => {
  assert.equal(sparkline([0, 50, 100], { min: 0, max: 100 }), '▁▅█');
  assert.equal(sparkline(recentPoints([0, 50, 100], 5), { min: 0, max: 100 }), '  ▁▅█', 'the newest at the end');
  assert.equal(sparkline([1, undefined, 2], { min: 0, ascii: true }), '= #');
  assert.equal(sparkline([0, 0], { min: 0 }), '▁▁');
  assert.equal(sparkline(recentPoints([1, 2, 3, 4], 2), { min: 0, max: 4 }), '▇█');
  assert.equal(sparkline([150], { min: 0, max: 100 }), '█', 'over the top stays the top bar');
  const ring = new Ring(3);
  for (const value of [1, 2, 3, 4]) ring.push(value);
  assert.deepEqual(ring.all, [2, 3, 4]);
  assert.equal(ring.last, 4);
});

test('the locale decides Unicode as setlocale does: LC_ALL over LC_CTYPE over LANG', () => {
  assert.equal(localeIsUtf8({ LANG: 'en_US.UTF-8' }), true);
  assert.equal(localeIsUtf8({ LANG: 'C' }), false);
  assert.equal(localeIsUtf8({ LC_ALL: 'C', LANG: 'en_US.UTF-8' }), false);
  assert.equal(localeIsUtf8({ LC_CTYPE: 'C.utf8' }), true);
});
