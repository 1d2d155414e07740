import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { machine } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createHost } from '../collect/host.ts';
import { unameExporter } from './uname.ts';

test("node_uname_info carries the kernel's answers from <procfs>/sys/kernel, as dashboards' $node variable reads it", () => {
  const proc = mkdtempSync(join(tmpdir(), 'argus-uname-'));
  mkdirSync(join(proc, 'sys', 'kernel'), { recursive: true });
  const files = {
    domainname: '(none)',
    hostname: 'web1',
    osrelease: '6.1.0-27-amd64',
    ostype: 'Linux',
    version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)',
  };
  for (const [file, text] of Object.entries(files)) writeFileSync(join(proc, 'sys', 'kernel', file), `${text}\n`);
  const samples = unameExporter.collect(
    { host: createHost({ procRoot: proc }), probeMount: () => Promise.resolve('') },
    {},
  );
  assert.deepEqual(samples, [
    {
      family: {
        name: 'node_uname_info',
        type: 'gauge',
        help: 'Labeled system information as provided by the uname system call.',
      },
      labels: {
        domainname: '(none)',
        machine: machine(),
        nodename: 'web1',
        release: '6.1.0-27-amd64',
        sysname: 'Linux',
        version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)',
      },
      value: 1,
    },
  ]);
});
