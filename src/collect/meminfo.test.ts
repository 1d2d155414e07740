import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { parseMeminfo, readMeminfo } from './meminfo.ts';

test('readMeminfo() converts kB fields to bytes on a recorded host', () => {
  const mem = readMeminfo(fixtureHost('vm-basic', 0));
  assert.equal(mem.totalBytes % 1024, 0);
  assert.ok(mem.availableBytes > 0 && mem.availableBytes <= mem.totalBytes);
  assert.equal(mem.swapTotalBytes, 0);
});

test('readMeminfo() estimates available memory on kernels before MemAvailable', () => {
  const mem = readMeminfo(fixtureHost('ram-swap', 0));
  assert.equal(mem.availableBytes, (402112 + 120344 + 1903220) * 1024);
  assert.equal(mem.swapFreeBytes, 524288 * 1024);
});

test('parseMeminfo() rejects a file without MemTotal', () => {
  assert.throws(() => parseMeminfo('MemFree: 1 kB\n'), /MemTotal or MemFree missing/);
});

test('parseMeminfo() lists every field only when asked, kB in bytes and counts as they are', () => {
  const text = 'MemTotal:       16384 kB\nMemFree:         1024 kB\nHugePages_Total:       4\n';
  assert.equal(parseMeminfo(text).fields, undefined);
  assert.deepEqual(parseMeminfo(text, { fields: true }).fields, [
    { name: 'MemTotal', value: 16384 * 1024, isBytes: true },
    { name: 'MemFree', value: 1024 * 1024, isBytes: true },
    { name: 'HugePages_Total', value: 4, isBytes: false },
  ]);
});
