import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createHost } from '../collect/host.ts';
import { parseExposition } from '../../test/helpers/exposition-text.ts';
import { FIXTURES } from '../../test/helpers/fixture-host.ts';
import { createExposition } from '../server/exposition.ts';
import { osExporter } from './os.ts';

// Ubuntu 20.04.2's os-release: what node_exporter's e2e run read (its fixture is not in the reference copy).
const UBUNTU = `NAME="Ubuntu"
VERSION="20.04.2 LTS (Focal Fossa)"
ID=ubuntu
ID_LIKE=debian
PRETTY_NAME="Ubuntu 20.04.2 LTS"
VERSION_ID="20.04"
HOME_URL="https://www.ubuntu.com/"
VERSION_CODENAME=focal
UBUNTU_CODENAME=focal
`;

test("node_os_info and node_os_version of Ubuntu 20.04 are node_exporter's e2e lines, from <rootfs>/usr/lib/os-release", async () => {
  const root = mkdtempSync(join(tmpdir(), 'argus-os-'));
  mkdirSync(join(root, 'usr', 'lib'), { recursive: true });
  writeFileSync(join(root, 'usr', 'lib', 'os-release'), UBUNTU);
  const samples = await osExporter.collect(
    { host: createHost({ rootfs: root }), probeMount: () => Promise.resolve('') },
    {},
  );
  const out = createExposition();
  for (const sample of samples) out.add(sample.family, sample.labels, sample.value);
  const ours = parseExposition(out.render());
  const theirs = parseExposition(readFileSync(join(FIXTURES, 'node-exporter', 'e2e-output.txt'), 'utf8'));
  for (const name of ['node_os_info', 'node_os_version']) assert.deepEqual(ours.get(name), theirs.get(name), name);
});
