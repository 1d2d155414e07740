import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { parseNetDev, readLinkInfo, readNetDev } from './net-dev.ts';

test('readNetDev() reads every interface of a recorded host', () => {
  const interfaces = readNetDev(fixtureHost('vm-basic', 0));
  assert.deepEqual([...interfaces.keys()], ['lo', 'ifb0', 'ifb1', 'eth0']);
  assert.ok((interfaces.get('eth0')?.rxBytes ?? 0) > 0);
});

test('parseNetDev() keeps the colon of alias names and rejects short lines', () => {
  const header = 'Inter-|\n face |\n';
  const text = `${header}eth0:1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n`;
  assert.equal(parseNetDev(text).get('eth0:1')?.txBytes, 9);
  assert.throws(() => parseNetDev(`${header}eth0: 1 2 3\n`), SyntaxError);
});

test('readLinkInfo() gives the speed in bytes per second, and none for virtual links', () => {
  assert.deepEqual(readLinkInfo(fixtureHost('net-churn', 0), 'eth0'), {
    ifindex: '2',
    speedBytesPerSecond: 125_000_000,
  });
  assert.equal(readLinkInfo(fixtureHost('vm-basic', 0), 'eth0').speedBytesPerSecond, undefined);
  assert.deepEqual(readLinkInfo(fixtureHost('vm-basic', 0), 'nope'), {
    ifindex: undefined,
    speedBytesPerSecond: undefined,
  });
});
