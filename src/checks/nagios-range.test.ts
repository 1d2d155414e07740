import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNagiosRange, rangeAlerts } from './nagios-range.ts';

// The table of ../shared/research/conventions.md §1.2, from the Monitoring Plugins guidelines and test_utils.c.
const CASES: [string, number, boolean][] = [
  ['10', -1, true],
  ['10', 0, false],
  ['10', 10, false],
  ['10', 10.01, true],
  ['10:', 9.99, true],
  ['10:', 10, false],
  ['10:', 1e9, false],
  ['~:10', -1e9, false],
  ['~:10', 10, false],
  ['~:10', 10.01, true],
  ['10:20', 9, true],
  ['10:20', 10, false],
  ['10:20', 20, false],
  ['10:20', 21, true],
  ['@10:20', 9, false],
  ['@10:20', 10, true],
  ['@10:20', 20, true],
  ['@10:20', 21, false],
  [':5.75', 5.75, false],
  [':5.75', 5.76, true],
  ['~:0', 0.5, true],
  ['~:0', -10, false],
  ['~:0', 0, false],
  ['@0:657.8210567', 32.88, true],
  ['@0:657.8210567', -2, false],
  ['@0:657.8210567', 657.8210567, true],
  ['@0:657.8210567', 0, true],
  ['@1:1', 0.5, false],
  ['@1:1', 1, true],
  ['@1:1', 5.2, false],
  ['1:1', 0.5, true],
  ['1:1', 1, false],
  ['1:1', 5.2, true],
  ['-7:23', -8, true],
  ['-7:23', -7, false],
  ['12345678901234567890:', 1.2345678901234567e19 / 1.1, true],
  ['12345678901234567890:', 1.2345678901234567e19 * 2, false],
  ['1:12%', 12, false],
  ['1:12%', 13, true],
];

for (const [range, value, alerts] of CASES) {
  test(`rangeAlerts("${range}", ${value}) is ${alerts}`, () => {
    assert.equal(rangeAlerts(parseNagiosRange(range), value), alerts);
  });
}

test('parseNagiosRange() rejects start greater than end and non-numbers', () => {
  assert.throws(() => parseNagiosRange('2:1'), /start greater than end/);
  assert.throws(() => parseNagiosRange('abc'), /Range format incorrect/);
  assert.throws(() => parseNagiosRange(''), RangeError);
  assert.throws(() => parseNagiosRange('1:x'), RangeError);
});
