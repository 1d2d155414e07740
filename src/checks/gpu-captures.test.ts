import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, fixtureHost } from '../../test/helpers/fixture-host.ts';
import { validateConfig } from '../config/validate.ts';
import { createCycle } from '../engine/cycle.ts';
import { createLogRouter } from '../log/logger.ts';
import { renderExposition } from '../server/exposition.ts';
import { checks } from './registry.ts';

const CAPTURES = join(FIXTURES, 'nvidia-smi-captures');
const REPLAY = join(FIXTURES, 'bin', 'nvidia-smi-replay.mjs');
const GOLDEN = join(import.meta.dirname, '..', '..', 'test', 'golden', 'gpu-captures.txt');

/**
 * The gpu check and /metrics on one real capture: the fake nvidia-smi replays the capture's own --query-gpu
 * section, so the check meets exactly what that driver printed ([N/A] on MIG, units, the Windows CRLFs).
 */
async function onCapture(file: string, state: 'idle' | 'load'): Promise<string> {
  process.env.ARGUS_TEST_CAPTURE = join(CAPTURES, file);
  process.env.ARGUS_TEST_CAPTURE_STATE = state;
  const validated = validateConfig({
    enabled_checks: ['gpu'],
    checks: { gpu: { nvidia_smi: REPLAY, include_amd: false } },
  });
  assert.ok(validated.ok);
  const cycle = createCycle(validated.config, {
    host: fixtureHost('vm-basic', 0),
    hostname: 'gpu-host',
    logger: createLogRouter({ level: 'ERROR', outputs: [] }).logger,
    monotonicMs: () => 0,
    now: () => new Date('2026-12-05T00:00:00Z'),
  });
  const batch = await cycle.run(new AbortController().signal);
  const results = batch.results.map(({ status, instance, details, metrics, labels }) =>
    JSON.stringify({ status, instance, details, metrics, labels }),
  );
  const exposition = renderExposition({
    batch: { ...batch, results: batch.results.map((result) => ({ ...result, durationMs: 1.5 })) },
    checks,
    thresholds: validated.config.thresholds,
    self: [],
  })
    .split('\n')
    .filter((line) => /^(argus_gpu_|argus_check_status|nvidia_smi_)/.test(line));
  return [`## ${file} ${state}`, ...results, ...exposition].join('\n');
}

test('the gpu check and /metrics on every real nvidia-smi capture, idle and under load, match the golden file', async () => {
  const files = readdirSync(CAPTURES)
    .filter((file) => file.endsWith('.txt'))
    .sort();
  assert.equal(files.length, 8, 'H100, H100 MIG, H200, H200 MIG, three RTX 2080/4080 Linux, one Windows');
  const sections: string[] = [];
  for (const file of files) for (const state of ['idle', 'load'] as const) sections.push(await onCapture(file, state));
  const text = `${sections.join('\n\n')}\n`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
  assert.equal(text, readFileSync(GOLDEN, 'utf8'));
});

test('MIG GPUs report no utilization and cards without a fan no fan speed: absent, never 0', async () => {
  for (const file of ['linux-x86_64__nvidia-h100-mig__590.48.01.txt', 'linux-x86_64__nvidia-h200-mig__590.48.01.txt']) {
    const section = await onCapture(file, 'load');
    assert.doesNotMatch(section, /utilization_percent|argus_gpu_utilization|nvidia_smi_utilization/, file);
    assert.doesNotMatch(section, /fan_percent|argus_gpu_fan|nvidia_smi_fan/, file);
    assert.match(section, /"memory_used_bytes":\d+/, `${file}: what MIG does report is there`);
  }
  const h100 = await onCapture('linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt', 'load');
  assert.match(h100, /"utilization_percent":100/);
  assert.match(h100, /"memory_used_bytes":20780679168/, '19818 MiB');
  assert.match(h100, /"power_watts":631\.95/);
  assert.match(h100, /^nvidia_smi_utilization_gpu_ratio\{uuid="GPU-[0-9a-f-]+"\} 1$/m, "nvidia_gpu_exporter's name");
});

test('the replaying nvidia-smi refuses a field the driver does not know, as nvidia-smi does', async () => {
  const { spawnSync } = await import('node:child_process');
  const run = spawnSync(REPLAY, ['--query-gpu=index,no.such.field', '--format=csv'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      ARGUS_TEST_CAPTURE: join(CAPTURES, 'linux-x86_64__nvidia-h200__590.48.01.txt'),
      ARGUS_TEST_CAPTURE_STATE: 'idle',
    },
  });
  assert.equal(run.status, 2);
  assert.match(run.stdout, /^Field "no\.such\.field" is not a valid field to query\./);
  const header = spawnSync(REPLAY, ['--query-gpu=index,memory.used', '--format=csv'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      ARGUS_TEST_CAPTURE: join(CAPTURES, 'linux-x86_64__nvidia-h200__590.48.01.txt'),
      ARGUS_TEST_CAPTURE_STATE: 'idle',
    },
  });
  assert.equal(header.stdout, 'index, memory.used [MiB]\n0, 0 MiB\n', 'header and units without noheader/nounits');
});
