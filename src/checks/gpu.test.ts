import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import * as v from 'valibot';
import { assertCheckContract, runSnapshots } from '../../test/helpers/check-contract.ts';
import { fakeBin, nvidiaSmiPrinting } from '../../test/helpers/fake-bin.ts';
import { FIXTURES, fixtureHost } from '../../test/helpers/fixture-host.ts';
import { CheckUnavailableError } from '../errors.ts';
import { gpuCheck } from './gpu.ts';

const recorded = (name: string): string => join(FIXTURES, 'nvidia-smi', name);
const bin = fakeBin({
  'smi-mixed': nvidiaSmiPrinting(recorded('mixed-3gpu.csv')),
  'smi-h100': nvidiaSmiPrinting(recorded('h100-1gpu.csv')),
  'smi-k80': nvidiaSmiPrinting(recorded('not-supported.csv')),
  'smi-mismatch': nvidiaSmiPrinting(recorded('garbage.txt'), 18),
  'smi-garbage-ok': 'echo "this is not, csv"',
  'smi-none': 'echo "No devices were found"; exit 6',
  'smi-hang': 'sleep 30',
});
// A fake that answers at once gets a timeout no loaded machine reaches; the hanging one a short one, its subject.
const smi = (name: string, timeout = name === 'smi-hang' ? 0.3 : 30) => ({
  nvidia_smi: join(bin, name),
  include_amd: false,
  nvidia_smi_timeout: timeout,
});

test('gpu check reports every NVIDIA card from recorded nvidia-smi output', async () => {
  const [readings = []] = await runSnapshots(gpuCheck, [fixtureHost('vm-basic')], smi('smi-mixed'));
  assert.deepEqual(
    readings.map((reading) => reading.instance),
    ['gpu0', 'gpu1', 'gpu2'],
  );
  assert.deepEqual(readings[1]?.labels, {
    vendor: 'nvidia',
    name: 'NVIDIA A100-SXM4-40GB',
    uuid: 'GPU-0a1b2c3d-7777-8888-9999-aaaabbbbcccc',
  });
  assert.deepEqual(readings[2]?.metrics, {
    utilization_percent: 12,
    memory_used_bytes: 1024 * 1024 * 1024,
    memory_total_bytes: 24576 * 1024 * 1024,
    memory_used_percent: (1024 / 24576) * 100,
    temperature_celsius: 45,
    power_watts: 35.2,
    power_limit_watts: 350,
    fan_percent: 30,
  });
  assert.equal(
    gpuCheck.summarize(readings[2] ?? { metrics: {} }),
    'gpu2 (NVIDIA GeForce RTX 3090): 12% busy mem 1.0 GiB/24.0 GiB 45°C 35/350 W fan 30%',
  );
  assertCheckContract(gpuCheck, readings);
});

test('gpu check leaves out [N/A] and [Not Supported] fields instead of inventing zeros', async () => {
  const [[h100] = []] = await runSnapshots(gpuCheck, [fixtureHost('vm-basic')], smi('smi-h100'));
  assert.equal(h100?.metrics.fan_percent, undefined);
  assert.equal(h100?.metrics.power_watts, 69.45);
  const [[k80] = []] = await runSnapshots(gpuCheck, [fixtureHost('vm-basic')], smi('smi-k80'));
  assert.deepEqual(Object.keys(k80?.metrics ?? {}).sort(), [
    'memory_total_bytes',
    'memory_used_bytes',
    'memory_used_percent',
    'temperature_celsius',
  ]);
});

test('gpu check turns garbage, driver errors and hangs into UNKNOWN readings', async () => {
  const reason = async (name: string) =>
    (await runSnapshots(gpuCheck, [fixtureHost('vm-basic')], smi(name)))[0]?.[0]?.unknown;
  assert.equal(
    await reason('smi-mismatch'),
    'nvidia-smi exited with code 18: Failed to initialize NVML: Driver/library version mismatch',
  );
  assert.match((await reason('smi-garbage-ok')) ?? '', /Cannot parse nvidia-smi line "this is not, csv"/);
  assert.equal(await reason('smi-hang'), 'nvidia-smi timeout after 0.3s');
});

test('gpu check keeps one nvidia-smi in flight and backs off after repeated failures', async () => {
  const collect = gpuCheck.create(v.parse(gpuCheck.options, smi('smi-hang')));
  let now = 0;
  const context = { host: fixtureHost('vm-basic'), signal: new AbortController().signal, monotonicMs: () => now };
  const [first, second] = await Promise.all([collect(context), collect(context)]);
  assert.equal(first[0]?.unknown, 'nvidia-smi timeout after 0.3s');
  assert.equal(second[0]?.unknown, 'previous nvidia-smi call is still running');
  // The killed child is reaped asynchronously; until then the reader rightly refuses to start another, and such a
  // refusal is no failure: the next run is the first one the reader takes on.
  const nextRun = async () => {
    let answer = await collect(context);
    for (let tries = 0; answer[0]?.unknown === 'previous nvidia-smi call is still running' && tries < 500; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = await collect(context);
    }
    return answer;
  };
  assert.equal((await nextRun())[0]?.unknown, 'nvidia-smi timeout after 0.3s', 'the second failure');
  assert.equal((await nextRun())[0]?.unknown, 'nvidia-smi timeout after 0.3s', 'the third failure');
  now += 1000;
  assert.match((await collect(context))[0]?.unknown ?? '', /^nvidia-smi failed 3 times in a row; next try in \d+s$/);
});

test('gpu check reads AMD cards from sysfs and says "no GPU found" when there is none', async () => {
  const [amd = []] = await runSnapshots(gpuCheck, [fixtureHost('amdgpu')], { nvidia_smi: join(bin, 'smi-none') });
  assert.deepEqual(
    amd.map((reading) => reading.instance),
    ['card0'],
  );
  assert.deepEqual(amd[0]?.metrics, {
    utilization_percent: 37,
    memory_used_bytes: 1073741824,
    memory_total_bytes: 8573157376,
    memory_used_percent: (1073741824 / 8573157376) * 100,
    temperature_celsius: 52,
    power_watts: 45,
    power_limit_watts: 180,
    fan_percent: (89 / 255) * 100,
  });
  assertCheckContract(gpuCheck, amd);
  const noGpu = (options: Record<string, unknown>) =>
    assert.rejects(
      runSnapshots(gpuCheck, [fixtureHost('vm-basic')], options),
      (error: unknown) => error instanceof CheckUnavailableError && error.message === 'no GPU found',
    );
  await noGpu({ nvidia_smi: join(bin, 'smi-none') });
  await noGpu({ nvidia_smi: join(bin, 'does-not-exist') });
});
