import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeBin, nvidiaSmiPrinting } from '../helpers/fake-bin.ts';
import { FIXTURES } from '../helpers/fixture-host.ts';
import { isolatedEnv, runCli } from '../helpers/cli.ts';

const withFakeSmi = (body: string) =>
  isolatedEnv({ PATH: `${fakeBin({ 'nvidia-smi': body })}:${process.env.PATH ?? ''}` });

async function gpuResults(body: string, extraArgs: string[] = []) {
  const run = await runCli(['status', '--once', '-o', 'json', '--checks', 'gpu', ...extraArgs], {
    env: withFakeSmi(body),
  });
  assert.equal(run.code, 0, run.stderr);
  return (
    JSON.parse(run.stdout) as {
      results: { instance?: string; status: string; details: string; metrics: Record<string, number> }[];
    }
  ).results;
}

test('the built argus reads several cards from a fake nvidia-smi on PATH', async () => {
  const results = await gpuResults(nvidiaSmiPrinting(join(FIXTURES, 'nvidia-smi', 'mixed-3gpu.csv')));
  assert.deepEqual(
    results.map((result) => [result.instance, result.status]),
    [
      ['gpu0', 'WARN'],
      ['gpu1', 'WARN'],
      ['gpu2', 'OK'],
    ],
  );
  assert.match(results[0]?.details ?? '', /\[WARN memory_used_percent=92\.80 \(>= 90\)\]$/);
  assert.match(
    results[1]?.details ?? '',
    /WARN temperature_celsius=88 \(>= 85\), WARN memory_used_percent=97\.90 \(>= 90\)/,
  );
});

test('the built argus reports a hung nvidia-smi as UNKNOWN after the timeout and still exits', async () => {
  const env = withFakeSmi('sleep 60');
  const started = Date.now();
  const run = await runCli(['status', '--once', '-o', 'json', '--checks', 'gpu,ram'], {
    env: { ...env, ARGUS_CHECKS: '{"gpu":{"nvidia_smi_timeout":"500ms"}}' },
  });
  assert.equal(run.code, 0, run.stderr);
  const results = (JSON.parse(run.stdout) as { results: { name: string; status: string; details: string }[] }).results;
  assert.deepEqual(
    results.find((result) => result.name === 'gpu'),
    {
      ...results.find((result) => result.name === 'gpu'),
      status: 'UNKNOWN',
      details: 'nvidia: nvidia-smi timeout after 0.5s',
    },
  );
  assert.equal(results.find((result) => result.name === 'ram')?.status === 'UNKNOWN', false);
  assert.ok(Date.now() - started < 10_000);
});

test('the built argus says "no GPU found" when nvidia-smi finds no device', async () => {
  const results = await gpuResults('echo "No devices were found"; exit 6');
  assert.deepEqual(
    results.map((result) => [result.status, result.details]),
    [['UNKNOWN', 'no GPU found']],
  );
});

test('the built argus turns garbage and [N/A] fields from nvidia-smi on PATH into UNKNOWN and missing metrics', async () => {
  const mismatch = await gpuResults(nvidiaSmiPrinting(join(FIXTURES, 'nvidia-smi', 'garbage.txt'), 18));
  assert.deepEqual(
    mismatch.map((result) => [result.status, result.details]),
    [['UNKNOWN', 'nvidia: nvidia-smi exited with code 18: Failed to initialize NVML: Driver/library version mismatch']],
  );
  const garbage = await gpuResults('echo "GPU 0: NVIDIA H100 (UUID: GPU-x)"');
  assert.equal(garbage[0]?.status, 'UNKNOWN');
  assert.match(garbage[0]?.details ?? '', /Cannot parse nvidia-smi line/);
  const k80 = await gpuResults(nvidiaSmiPrinting(join(FIXTURES, 'nvidia-smi', 'not-supported.csv')));
  assert.equal(k80[0]?.status, 'OK');
  assert.equal(k80[0]?.metrics.utilization_percent, undefined);
  assert.equal(k80[0]?.metrics.temperature_celsius, 34);
});
