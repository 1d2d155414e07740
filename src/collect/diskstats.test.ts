import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { parseDiskstats, readDiskstats } from './diskstats.ts';

test('parseDiskstats() reads every counter of iostats.rst by position, discard and flush fields included', () => {
  const devices = parseDiskstats(
    ' 254       0 vda 11864 4680 950418 8957 1596 11476 592904 1447 0 1588 10599 3190 39 40168 194 4 0\n',
  );
  assert.deepEqual(devices.get('254:0'), {
    name: 'vda',
    major: '254',
    minor: '0',
    readsCompleted: 11864,
    readsMerged: 4680,
    sectorsRead: 950418,
    readTimeMs: 8957,
    writesCompleted: 1596,
    writesMerged: 11476,
    sectorsWritten: 592904,
    writeTimeMs: 1447,
    ioInProgress: 0,
    ioTicksMs: 1588,
    weightedIoMs: 10599,
    discardsCompleted: 3190,
    discardsMerged: 39,
    sectorsDiscarded: 40168,
    discardTimeMs: 194,
    flushRequests: 4,
    flushTimeMs: 0,
  });
});

test('parseDiskstats() leaves out the discard and flush counters that older kernels do not write', () => {
  const devices = parseDiskstats('   8    0 sda 1 2 3 4 5 6 7 8 9 10 11\n');
  const sda = devices.get('8:0');
  assert.equal(sda?.weightedIoMs, 11);
  assert.equal(sda?.discardsCompleted, undefined);
  assert.equal(sda?.flushRequests, undefined);
});

test('parseDiskstats() skips lines with fewer than 14 fields, as kernels before 2.6.25 wrote for partitions', () => {
  const devices = parseDiskstats('   8    1 sda1 100 200 300 400\n   8    0 sda 1 2 3 4 5 6 7 8 9 10\n\n');
  assert.equal(devices.size, 0);
});

test('readDiskstats() reads every device of a recorded host, and none where the file is missing', () => {
  const devices = readDiskstats(fixtureHost('vm-basic', 0));
  assert.equal(devices.get('254:0')?.name, 'vda');
  assert.ok([...devices.values()].every((device) => Number.isFinite(device.sectorsRead)));
  assert.equal(readDiskstats(fixtureHost('ram-swap', 0)).size, 0);
});
