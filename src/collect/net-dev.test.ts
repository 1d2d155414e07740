import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { parseNetDev, readIfindex, readLinkSpeed, readNetDev } from './net-dev.ts';

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

test('readLinkSpeed() gives bytes per second, and none for virtual links; readIfindex() the kernel index', () => {
  assert.equal(readLinkSpeed(fixtureHost('net-churn', 0), 'eth0'), 125_000_000);
  assert.equal(readIfindex(fixtureHost('net-churn', 0), 'eth0'), '2');
  assert.equal(readLinkSpeed(fixtureHost('vm-basic', 0), 'eth0'), undefined);
  assert.equal(readLinkSpeed(fixtureHost('vm-basic', 0), 'nope'), undefined);
  assert.equal(readIfindex(fixtureHost('vm-basic', 0), 'nope'), undefined);
});
