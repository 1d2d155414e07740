import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openFileOutbox } from './file-outbox.ts';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'argus-outbox-')), 'queue');

test('file outbox hands items back oldest first and keeps them across a reopen', () => {
  const dir = fresh();
  const outbox = openFileOutbox<{ n: number }>(dir, { maxItems: 10, maxBytes: 1 << 20 });
  for (let n = 1; n <= 3; n += 1) outbox.enqueue({ n }, 100 + n);
  const first = outbox.oldest();
  assert.deepEqual([first?.payload, first?.enqueuedAt], [{ n: 1 }, 101]);
  outbox.remove(first?.id ?? '');
  const reopened = openFileOutbox<{ n: number }>(dir, { maxItems: 10, maxBytes: 1 << 20 });
  assert.equal(reopened.size, 2);
  assert.deepEqual(reopened.oldest()?.payload, { n: 2 });
  reopened.enqueue({ n: 4 }, 200);
  assert.deepEqual(
    readdirSync(dir).sort().slice(-1),
    ['0000000000000004.json'],
    'sequence numbers keep growing after a reopen',
  );
});

test('file outbox drops the oldest items when full, by count and by bytes', () => {
  const byCount = openFileOutbox<{ n: number }>(fresh(), { maxItems: 2, maxBytes: 1 << 20 });
  for (let n = 1; n <= 5; n += 1) byCount.enqueue({ n }, n);
  assert.deepEqual([byCount.size, byCount.dropped, byCount.oldest()?.payload], [2, 3, { n: 4 }]);
  const byBytes = openFileOutbox<{ text: string }>(fresh(), { maxItems: 100, maxBytes: 250 });
  for (let n = 0; n < 4; n += 1) byBytes.enqueue({ text: 'x'.repeat(100) }, n);
  assert.equal(byBytes.size, 1);
  assert.equal(byBytes.dropped, 3);
});

test('file outbox skips a damaged file, counting it, and cleans up half-written ones', () => {
  const dir = fresh();
  const outbox = openFileOutbox<{ n: number }>(dir, { maxItems: 10, maxBytes: 1 << 20 });
  outbox.enqueue({ n: 1 }, 1);
  outbox.enqueue({ n: 2 }, 2);
  writeFileSync(join(dir, '0000000000000001.json'), '{ torn');
  writeFileSync(join(dir, '0000000000000009.json.tmp'), 'a write cut short');
  const reopened = openFileOutbox<{ n: number }>(dir, { maxItems: 10, maxBytes: 1 << 20 });
  assert.deepEqual(reopened.oldest()?.payload, { n: 2 });
  assert.equal(reopened.dropped, 1);
  assert.equal(existsSync(join(dir, '0000000000000009.json.tmp')), false);
});
