import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellWidth, wrapWords } from './cells.ts';

test('wrapWords() breaks at spaces within the width, keeps paragraphs, cuts a word longer than the width', () => {
  assert.deepEqual(wrapWords('one two three four', 9), ['one two', 'three', 'four']);
  assert.deepEqual(wrapWords('a\nb c', 10), ['a', 'b c']);
  assert.deepEqual(wrapWords('short averyveryverylongword end', 8), ['short', 'averyve…', 'end']);
  // Wide characters count two cells each.
  for (const line of wrapWords('日本語 の テキスト を 折り返す', 6)) assert.ok(cellWidth(line) <= 6, line);
  assert.deepEqual(wrapWords('', 5), ['']);
});
