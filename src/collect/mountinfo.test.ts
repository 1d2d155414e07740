import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { isRemoteOrUnknownFs, parseMountinfo, readMountinfo } from './mountinfo.ts';
import { parseDiskstats, readDiskstats } from './diskstats.ts';

test('readMountinfo() unescapes octal mount points and keeps the last mount on a mount point', () => {
  const mounts = readMountinfo(fixtureHost('mounts-mixed', 0));
  const points = mounts.map((mount) => mount.mountPoint);
  assert.ok(points.includes('/srv/data store'));
  assert.equal(points.filter((point) => point === '/data').length, 1);
  const nas = mounts.find((mount) => mount.mountPoint === '/mnt/nas');
  assert.deepEqual(nas, {
    mountPoint: '/mnt/nas',
    device: 'nas.lan:/export/backup',
    fsType: 'nfs4',
    deviceNumber: '0:45',
    readOnly: false,
  });
  assert.equal(mounts.find((mount) => mount.mountPoint.startsWith('/snap'))?.readOnly, true);
});

test('readMountinfo() reads the recorded VM', () => {
  const root = readMountinfo(fixtureHost('vm-basic', 0)).find((mount) => mount.mountPoint === '/');
  assert.equal(root?.fsType, 'ext4');
  assert.equal(root?.deviceNumber, '254:0');
});

test('parseMountinfo() rejects lines without the separator', () => {
  assert.throws(() => parseMountinfo('1 2 3:4 / /x rw\n'), /no " - " separator/);
  assert.throws(() => parseMountinfo('1 2 - ext4\n'), /too few fields/);
});

test('isRemoteOrUnknownFs() sends network, FUSE and unknown types out of process', () => {
  for (const type of ['nfs', 'nfs4', 'cifs', 'fuse.sshfs', 'ceph', 'somethingnew'])
    assert.equal(isRemoteOrUnknownFs(type), true, type);
  for (const type of ['ext4', 'xfs', 'btrfs', 'tmpfs']) assert.equal(isRemoteOrUnknownFs(type), false, type);
});

test('parseDiskstats() keys devices by major:minor and skips short lines', () => {
  const stats = readDiskstats(fixtureHost('vm-basic', 0));
  assert.equal(stats.get('254:0')?.name, 'vda');
  assert.equal(parseDiskstats('1 2 short\n').size, 0);
  assert.equal(readDiskstats(fixtureHost('sensors', 0)).size, 0);
});
