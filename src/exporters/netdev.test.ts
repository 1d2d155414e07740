import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createHost } from '../collect/host.ts';
import { FIXTURES } from '../../test/helpers/fixture-host.ts';
import { netdevExporter } from './netdev.ts';

test('netdev gives all 16 columns of /proc/net/dev, and rx_nohandler from sysfs where the kernel has it', async () => {
  const root = mkdtempSync(join(tmpdir(), 'argus-netdev-'));
  cpSync(join(FIXTURES, 'hosts', 'vm-basic', 'proc0', 'net'), join(root, 'proc', 'net'), { recursive: true });
  mkdirSync(join(root, 'sys', 'class', 'net', 'eth0', 'statistics'), { recursive: true });
  writeFileSync(join(root, 'sys', 'class', 'net', 'eth0', 'statistics', 'rx_nohandler'), '17\n');
  const host = createHost({ procRoot: join(root, 'proc'), sysRoot: join(root, 'sys') });
  const samples = await netdevExporter.collect({ host, probeMount: () => Promise.resolve('') }, {});
  const eth0 = samples.filter((sample) => sample.labels?.device === 'eth0');
  assert.equal(eth0.length, 17);
  assert.equal(eth0.find((sample) => sample.family.name === 'node_network_receive_nohandler_total')?.value, 17);
  assert.ok(!samples.some((sample) => sample.labels?.device === 'lo' && sample.family.name.includes('nohandler')));
  const only = await netdevExporter.collect(
    { host, probeMount: () => Promise.resolve('') },
    { device_include: '^eth' },
  );
  assert.deepEqual([...new Set(only.map((sample) => sample.labels?.device))], ['eth0']);
});
