import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldCursor, hasField, nextField, nextLine, nextNumber, skipField } from './field-cursor.ts';

const linesOf = (text: string): string[][] => {
  const cursor = fieldCursor(text);
  const lines: string[][] = [];
  while (nextLine(cursor)) {
    const fields: string[] = [];
    while (hasField(cursor)) fields.push(nextField(cursor));
    lines.push(fields);
  }
  return lines;
};

test('fieldCursor() walks lines and blank-separated fields as split(/\\s+/) would, without a final empty line', () => {
  assert.deepEqual(linesOf('   7       0 loop0 0\ncpu0\t5  6 \r\n\nlast line'), [
    ['7', '0', 'loop0', '0'],
    ['cpu0', '5', '6'],
    [],
    ['last', 'line'],
  ]);
  assert.deepEqual(linesOf('a b\n'), [['a', 'b']]);
  assert.deepEqual(linesOf(''), []);
});

test('nextNumber() reads integers exactly as Number() does, also long counters, and NaN for the rest', () => {
  const counters = ['0', '42', '999999999999999', '9007199254740993', '18446744073709551615', '0.58', '-3', '1e3'];
  const cursor = fieldCursor(`${counters.join(' ')} kB 12x\n`);
  nextLine(cursor);
  for (const text of counters) assert.equal(nextNumber(cursor), Number(text), text);
  assert.ok(Number.isNaN(nextNumber(cursor)), 'a unit is not a number');
  assert.ok(Number.isNaN(nextNumber(cursor)), 'digits followed by letters are not a number');
  assert.ok(Number.isNaN(nextNumber(cursor)), 'past the last field');
  assert.equal(hasField(cursor), false);
});

test('skipField() passes over a field without reading it, and lines stay separate', () => {
  const cursor = fieldCursor('1 2 3\n4 5\n');
  nextLine(cursor);
  skipField(cursor);
  assert.equal(nextNumber(cursor), 2);
  nextLine(cursor);
  assert.equal(nextNumber(cursor), 4);
  skipField(cursor);
  skipField(cursor);
  assert.ok(Number.isNaN(nextNumber(cursor)), 'the next line is not read into this one');
});
