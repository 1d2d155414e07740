import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createHost } from './host.ts';
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

// A container run as node_exporter's docs run it: --pid=host, the host's / at /host, host.rootfs: /host.
test('readMountinfo() with a rootfs reads the host mount table (PID 1), else its own under rootfs, named as the host names them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-roots-'));
  const line = (id: number, point: string, type = 'ext4') =>
    `${id} 1 8:${id} / ${point} rw - ${type} /dev/sd${id} rw\n`;
  mkdirSync(join(dir, 'self'));
  writeFileSync(
    join(dir, 'self', 'mountinfo'),
    line(1, '/') + line(2, '/host') + line(3, '/host/data') + line(4, '/etc/hosts'),
  );
  const inContainer = readMountinfo(createHost({ procRoot: dir, rootfs: '/host' }));
  assert.deepEqual(
    inContainer.map((mount) => [mount.mountPoint, mount.device]),
    [
      ['/', '/dev/sd2'],
      ['/data', '/dev/sd3'],
    ],
    'without PID 1 visible: the mounts under /host, without the prefix',
  );
  mkdirSync(join(dir, '1'));
  writeFileSync(join(dir, '1', 'mountinfo'), line(7, '/') + line(8, '/srv'));
  const host = readMountinfo(createHost({ procRoot: dir, rootfs: '/host/' }));
  assert.deepEqual(
    host.map((mount) => mount.mountPoint),
    ['/', '/srv'],
  );
  assert.equal(readMountinfo(createHost({ procRoot: dir })).length, 4, 'no rootfs: this process own table');
});

test('createHost() with a rootfs takes statfs of a host mount point under it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-rootfs-'));
  mkdirSync(join(dir, 'data'));
  const host = createHost({ rootfs: dir });
  assert.equal(host.fsPath('/data'), `${dir}/data`);
  assert.equal(host.fsPath('/'), `${dir}/`);
  const here = statfsSync(dir);
  assert.equal(host.statfs('/data').totalBytes, here.blocks * here.bsize);
  assert.equal(createHost().fsPath('/data'), '/data');
});
