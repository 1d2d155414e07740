import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, fixtureHost } from '../../test/helpers/fixture-host.ts';
import { checks } from '../checks/registry.ts';
import { validateConfig } from '../config/validate.ts';
import { createLogRouter } from '../log/logger.ts';
import type { Batch, CheckResult } from '../result.ts';
import { createCycle } from '../engine/cycle.ts';
import type { Host } from '../collect/host.ts';
import { bindExporters } from '../exporters/registry.ts';
import { renderExposition } from './exposition.ts';
import { createNodeSeries } from './node-series.ts';

const GOLDEN = join(import.meta.dirname, '..', '..', 'test', 'golden', 'vm-basic.metrics.txt');

/** Runs the default checks over vm-basic's two snapshots, one second apart, as the agent's loop would. */
async function vmBasicBatch(raw: Record<string, unknown> = {}): Promise<Batch> {
  const validated = validateConfig(raw);
  assert.ok(validated.ok);
  let snapshot = 0;
  const hosts = [fixtureHost('vm-basic', 0), fixtureHost('vm-basic', 1)];
  const host = new Proxy(hosts[0]!, {
    get: (_, key) => (hosts[snapshot] as unknown as Record<string | symbol, unknown>)[key],
  });
  const cycle = createCycle(validated.config, {
    host,
    hostname: 'vm',
    logger: createLogRouter({ level: 'ERROR', outputs: [] }).logger,
    monotonicMs: () => snapshot * 1000,
    now: () => new Date('2026-11-27T12:00:00Z'),
  });
  const signal = new AbortController().signal;
  await cycle.prime(signal);
  snapshot = 1;
  const batch = await cycle.run(signal);
  // Run times are the only thing that differs between runs.
  return { ...batch, results: batch.results.map((result) => ({ ...result, durationMs: 1.5 })) };
}

const render = (batch: Batch, thresholds: Record<string, unknown> = {}) =>
  renderExposition({ batch, checks, thresholds: thresholds as never, self: [] });

/** node_exporter's series read from a host as a scrape reads them (timings fixed for comparison). */
async function nodeText(host: Host): Promise<string> {
  const series = createNodeSeries({
    // Not the clock, the kernel or the distribution of the machine running the test (their own tests have them).
    exporters: () => bindExporters({ disabled: ['os', 'time', 'uname'] }),
    context: () => ({ host, probeMount: () => Promise.resolve('no probe in tests') }),
    maxAgeMs: 0,
    monotonicMs: () => 0,
  });
  return series.text();
}

/** The /metrics body as the agent serves it: node_exporter's series read now, then the cycle's own. */
const scrape = async (batch: Batch, host: Host = fixtureHost('vm-basic', 1)): Promise<string> =>
  (await nodeText(host)) + render(batch);

/** name{labels} → value, as Prometheus reads the text. */
function parseSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

test('checks build no node_exporter series: results carry only their judged values', async () => {
  const batch = await vmBasicBatch();
  for (const result of batch.results) assert.deepEqual(Object.keys(result).includes('exported'), false);
  assert.ok(!render(batch).includes('node_'), 'the cycle renders argus_* only');
});

test('/metrics for the vm-basic host matches test/golden/vm-basic.metrics.txt', async () => {
  const text = await scrape(await vmBasicBatch());
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
  assert.equal(text, readFileSync(GOLDEN, 'utf8'));
});

test("exporters' counters equal the /proc files they come from", async () => {
  const samples = parseSamples(await scrape(await vmBasicBatch()));
  const proc = join(FIXTURES, 'hosts', 'vm-basic', 'proc1');
  const btime = Number(/^btime (\d+)$/m.exec(readFileSync(join(proc, 'stat'), 'utf8'))?.[1]);
  assert.equal(samples.get('node_boot_time_seconds'), btime);
  const cpu1 = readFileSync(join(proc, 'stat'), 'utf8')
    .split('\n')
    .find((line) => line.startsWith('cpu1 '));
  const [, user, nice, system, idle, iowait] = (cpu1 ?? '').split(/\s+/).map(Number);
  assert.equal(samples.get('node_cpu_seconds_total{cpu="1",mode="user"}'), (user ?? NaN) / 100);
  assert.equal(samples.get('node_cpu_seconds_total{cpu="1",mode="nice"}'), (nice ?? NaN) / 100);
  assert.equal(samples.get('node_cpu_seconds_total{cpu="1",mode="system"}'), (system ?? NaN) / 100);
  assert.equal(samples.get('node_cpu_seconds_total{cpu="1",mode="idle"}'), (idle ?? NaN) / 100);
  assert.equal(samples.get('node_cpu_seconds_total{cpu="1",mode="iowait"}'), (iowait ?? NaN) / 100);

  const meminfo = readFileSync(join(proc, 'meminfo'), 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(meminfo)?.[1]) * 1024;
  assert.equal(samples.get('node_memory_MemAvailable_bytes'), kib('MemAvailable'));
  assert.equal(samples.get('node_memory_MemTotal_bytes'), kib('MemTotal'));
  assert.equal(samples.get('node_memory_Active_anon_bytes'), kib('Active\\(anon\\)'));
  assert.ok(samples.has('node_memory_HugePages_Total'), 'counts keep their name without _bytes');

  const eth0 = readFileSync(join(proc, 'net', 'dev'), 'utf8')
    .split('\n')
    .find((line) => line.trim().startsWith('eth0:'));
  const fields = (eth0 ?? '').split(':')[1]!.trim().split(/\s+/).map(Number);
  assert.equal(samples.get('node_network_receive_bytes_total{device="eth0"}'), fields[0]);
  assert.equal(samples.get('node_network_receive_packets_total{device="eth0"}'), fields[1]);
  assert.equal(samples.get('node_network_transmit_bytes_total{device="eth0"}'), fields[8]);
  assert.equal(samples.get('node_network_transmit_drop_total{device="eth0"}'), fields[11]);

  const vda = readFileSync(join(proc, 'diskstats'), 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((parts) => parts[2] === 'vda');
  assert.equal(samples.get('node_disk_read_bytes_total{device="vda"}'), Number(vda?.[5]) * 512);
  assert.equal(samples.get('node_disk_written_bytes_total{device="vda"}'), Number(vda?.[9]) * 512);
  assert.equal(samples.get('node_disk_io_time_seconds_total{device="vda"}'), Number(vda?.[12]) / 1000);

  const statfs = JSON.parse(readFileSync(join(FIXTURES, 'hosts', 'vm-basic', 'statfs.json'), 'utf8')) as Record<
    string,
    { availableBytes: number; totalBytes: number }
  >;
  const root = '{device="/dev/vda",fstype="ext4",mountpoint="/"}';
  assert.equal(samples.get(`node_filesystem_avail_bytes${root}`), statfs['/']?.availableBytes);
  assert.equal(samples.get(`node_filesystem_size_bytes${root}`), statfs['/']?.totalBytes);
});

test('/metrics gives each family one HELP and TYPE before all of its samples', async () => {
  const lines = (await scrape(await vmBasicBatch())).split('\n');
  const described = new Set<string>();
  let current = '';
  for (const line of lines) {
    const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
    if (meta?.[1] === 'HELP') {
      assert.ok(!described.has(meta[2]!), `${meta[2]} described twice`);
      described.add(meta[2]!);
      current = meta[2]!;
    } else if (line !== '' && !line.startsWith('#')) {
      const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line)?.[0];
      assert.equal(name, current, `sample "${line}" outside its family`);
    }
  }
});

const result = (overrides: Partial<CheckResult>): CheckResult => ({
  name: 'disk',
  status: 'OK',
  metrics: {},
  details: '',
  timestamp: '2026-11-27T12:00:00Z',
  host: 'h',
  durationMs: 2,
  ...overrides,
});

test('renderExposition() escapes label values and writes NaN and infinities as Prometheus spells them', () => {
  const text = render({
    timestamp: '',
    host: 'h',
    results: [
      result({ instance: 'C:\\data "x"\nnext', metrics: { used_percent: 50, used_bytes: NaN, free_bytes: Infinity } }),
      result({ instance: '/neg', metrics: { free_bytes: -Infinity } }),
    ],
  });
  assert.match(text, /^argus_disk_used_ratio\{target="C:\\\\data \\"x\\"\\nnext"\} 0\.5$/m);
  assert.match(text, /^argus_disk_used_bytes\{target="C:.*"\} NaN$/m);
  assert.match(text, /^argus_disk_free_bytes\{target="C:.*"\} \+Inf$/m);
  assert.match(text, /^argus_disk_free_bytes\{target="\/neg"\} -Inf$/m);
});

test('renderExposition() turns thresholds into upper and lower bounds in the metric unit', () => {
  const text = render(
    { timestamp: '', host: 'h', results: [result({ instance: '/', metrics: { free_percent: 5 } })] },
    {
      disk: {
        used_percent: { warn: 70, crit: null },
        free_percent: { warn: '10:', crit: '5:90' },
        inodes_used_percent: { warn: '@1:2', crit: null },
      },
    },
  );
  const samples = parseSamples(text);
  const at = (metric: string, level: string, bound: string) =>
    samples.get(`argus_check_threshold{check="disk",target="/",metric="${metric}",level="${level}",bound="${bound}"}`);
  assert.equal(at('argus_disk_used_ratio', 'warn', 'upper'), 0.7);
  assert.equal(at('argus_disk_used_ratio', 'crit', 'upper'), undefined, 'null removes the default');
  assert.equal(at('argus_disk_free_ratio', 'warn', 'lower'), 0.1);
  assert.equal(at('argus_disk_free_ratio', 'warn', 'upper'), undefined, '"10:" has no upper end');
  assert.equal(at('argus_disk_free_ratio', 'crit', 'lower'), 0.05);
  assert.equal(at('argus_disk_free_ratio', 'crit', 'upper'), 0.9);
  assert.ok(!text.includes('argus_disk_inodes_used_ratio",level="warn"'), 'an inside range has no bound to export');
});

test('renderExposition() reports a failed check as success 0 and UNKNOWN, with no thresholds', () => {
  const samples = parseSamples(
    render({
      timestamp: '',
      host: 'h',
      results: [result({ name: 'gpu', status: 'UNKNOWN', failed: true, durationMs: 2500, details: 'no GPU found' })],
    }),
  );
  assert.equal(samples.get('argus_check_status{check="gpu"}'), 3);
  assert.equal(samples.get('argus_check_success{check="gpu"}'), 0);
  assert.equal(samples.get('argus_check_duration_seconds{check="gpu"}'), 2.5);
  assert.ok(![...samples.keys()].some((key) => key.startsWith('argus_check_threshold')));
});

test('renderExposition() names plugin metrics safely and labels templated ones', () => {
  const samples = parseSamples(
    render({
      timestamp: '',
      host: 'h',
      results: [
        result({ name: 'command', instance: 'web', metrics: { 'time-ms.p99': 12, '5xx': 1 } }),
        result({ name: 'cpu', metrics: { core12_usage_percent: 25 } }),
      ],
    }),
  );
  assert.equal(samples.get('argus_command_time_ms_p99{target="web"}'), 12);
  assert.equal(samples.get('argus_command__5xx{target="web"}'), 1);
  assert.equal(samples.get('argus_cpu_core_usage_ratio{core="12"}'), 0.25);
});

test('renderExposition() exports GPUs as argus_gpu_* in base units with an info series for their names', () => {
  const samples = parseSamples(
    render({
      timestamp: '',
      host: 'h',
      results: [
        result({
          name: 'gpu',
          instance: 'gpu0',
          labels: { vendor: 'nvidia', name: 'NVIDIA H100 80GB HBM3', uuid: 'GPU-5e0c' },
          metrics: { utilization_percent: 37, memory_used_bytes: 1048576000, power_watts: 120.5, fan_percent: 30 },
        }),
      ],
    }),
  );
  assert.equal(
    samples.get('argus_gpu_info{target="gpu0",vendor="nvidia",name="NVIDIA H100 80GB HBM3",uuid="GPU-5e0c"}'),
    1,
  );
  assert.equal(samples.get('argus_gpu_utilization_ratio{target="gpu0"}'), 0.37);
  assert.equal(samples.get('argus_gpu_memory_used_bytes{target="gpu0"}'), 1048576000);
  assert.equal(samples.get('argus_gpu_power_watts{target="gpu0"}'), 120.5);
  assert.equal(samples.get('argus_gpu_fan_ratio{target="gpu0"}'), 0.3);
});

test("the hwmon and thermal_zone exporters give node_exporter's series, and promtool takes them", async (t) => {
  const text = await nodeText(fixtureHost('sensors', 0));
  const nodeLines = text.split('\n').filter((line) => /^(# (HELP|TYPE) )?node_(hwmon|thermal)/.test(line));
  // Values are the fixture's files over 1000: temp2_input 43000 is 43; chips from the device links (its README).
  // Families come in the order the files are met; the text format does not care, so neither does this.
  assert.deepEqual(
    nodeLines.sort(),
    [
      '# HELP node_hwmon_temp_celsius Hardware monitor for temperature (input)',
      '# TYPE node_hwmon_temp_celsius gauge',
      'node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp1"} 45',
      'node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp2"} 43',
      'node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp10"} 97',
      'node_hwmon_temp_celsius{chip="nvme",sensor="temp1"} 38.85',
      'node_hwmon_temp_celsius{chip="thermal_thermal_zone0",sensor="temp1"} 27.8',
      '# HELP node_hwmon_temp_max_celsius Hardware monitor for temperature (max)',
      '# TYPE node_hwmon_temp_max_celsius gauge',
      'node_hwmon_temp_max_celsius{chip="platform_coretemp_0",sensor="temp1"} 80',
      'node_hwmon_temp_max_celsius{chip="platform_coretemp_0",sensor="temp2"} 80',
      '# HELP node_hwmon_temp_crit_celsius Hardware monitor for temperature (crit)',
      '# TYPE node_hwmon_temp_crit_celsius gauge',
      'node_hwmon_temp_crit_celsius{chip="platform_coretemp_0",sensor="temp1"} 100',
      'node_hwmon_temp_crit_celsius{chip="platform_coretemp_0",sensor="temp2"} 100',
      'node_hwmon_temp_crit_celsius{chip="platform_coretemp_0",sensor="temp10"} 100',
      // 84850 × 0.001, as node_exporter computes it (and prints it: Go's float64 is the same double).
      'node_hwmon_temp_crit_celsius{chip="nvme",sensor="temp1"} 84.85000000000001',
      '# HELP node_hwmon_sensor_label Label for given chip and sensor',
      '# TYPE node_hwmon_sensor_label gauge',
      'node_hwmon_sensor_label{chip="platform_coretemp_0",sensor="temp1",label="Package id 0"} 1',
      'node_hwmon_sensor_label{chip="platform_coretemp_0",sensor="temp2",label="Core 0"} 1',
      'node_hwmon_sensor_label{chip="platform_coretemp_0",sensor="temp10",label="Core 8"} 1',
      'node_hwmon_sensor_label{chip="nvme",sensor="temp1",label="Composite"} 1',
      '# HELP node_hwmon_chip_names Annotation metric for human-readable chip names',
      '# TYPE node_hwmon_chip_names gauge',
      'node_hwmon_chip_names{chip="platform_coretemp_0",chip_name="coretemp"} 1',
      'node_hwmon_chip_names{chip="nvme",chip_name="nvme"} 1',
      'node_hwmon_chip_names{chip="thermal_thermal_zone0",chip_name="acpitz"} 1',
      '# HELP node_thermal_zone_temp Zone temperature in Celsius',
      '# TYPE node_thermal_zone_temp gauge',
      'node_thermal_zone_temp{type="x86_pkg_temp",zone="0"} 46',
      'node_thermal_zone_temp{type="acpitz",zone="1"} 27.8',
    ].sort(),
  );
  if (spawnSync('sh', ['-c', 'command -v promtool']).status !== 0) return t.skip('promtool is not installed');
  const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(lint.status, 0, lint.stdout + lint.stderr);
});
