import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import type { SystemInformation } from '../collect/systeminformation.ts';
import { validateConfig } from '../config/validate.ts';
import { createLogRouter } from '../log/logger.ts';
import { createCycle } from '../engine/cycle.ts';

// Shaped like systeminformation 5 answers on a MacBook (values from its documentation's examples).
const GIB = 1024 ** 3;
let networkCalls = 0;
const fakeSi: SystemInformation = {
  currentLoad: () =>
    Promise.resolve({
      currentLoad: 25,
      currentLoadUser: 15,
      currentLoadSystem: 8,
      currentLoadNice: 1,
      currentLoadIrq: 1,
      currentLoadSteal: 0,
      cpus: [{ load: 30 }, { load: 20 }],
    }),
  mem: () => Promise.resolve({ total: 16 * GIB, available: 4 * GIB, swaptotal: 2 * GIB, swapused: 1 * GIB }),
  fsSize: () =>
    Promise.resolve([
      { fs: '/dev/disk3s1s1', type: 'APFS', size: 494 * GIB, used: 400 * GIB, available: 94 * GIB, mount: '/' },
      { fs: 'devfs', type: 'devfs', size: 1, used: 1, available: 0, mount: '/dev' },
    ]),
  networkStats: () => {
    networkCalls += 1;
    return Promise.resolve([
      {
        iface: 'en0',
        rx_sec: networkCalls > 1 ? 2048 : null,
        tx_sec: networkCalls > 1 ? 1024 : null,
        rx_errors: 0,
        tx_errors: 0,
        rx_dropped: 0,
        tx_dropped: 0,
        ms: 1000,
      },
      { iface: 'lo0', rx_sec: 10, tx_sec: 10, rx_errors: 0, tx_errors: 0, rx_dropped: 0, tx_dropped: 0, ms: 1000 },
    ]);
  },
  graphics: () =>
    Promise.resolve({
      controllers: [{ vendor: 'Apple', model: 'Apple M2', utilizationGpu: 12, memoryTotal: 8192, memoryUsed: 2048 }],
    }),
  cpuTemperature: () => Promise.resolve({ main: 48.5, cores: [47, 50], max: 50 }),
};

test('off Linux every check reports the same metric names through systeminformation', async () => {
  const result = validateConfig({
    enabled_checks: ['cpu', 'ram', 'disk', 'network', 'gpu', 'temperature'],
    checks: { network: { exclude: ['lo*'] } },
  });
  assert.ok(result.ok);
  const host = {
    ...fixtureHost('vm-basic'),
    platform: 'darwin' as const,
    systemInformation: () => Promise.resolve(fakeSi),
  };
  const cycle = createCycle(result.config, {
    host,
    hostname: 'mac',
    logger: createLogRouter({ level: 'ERROR', outputs: [] }).logger,
    monotonicMs: () => 0,
    now: () => new Date(0),
  });
  const signal = new AbortController().signal;
  await cycle.prime(signal);
  const { results } = await cycle.run(signal);
  const find = (name: string, instance?: string) =>
    results.find((entry) => entry.name === name && entry.instance === instance);
  assert.equal(find('cpu')?.metrics.usage_percent, 25);
  assert.equal(find('cpu')?.metrics.core1_usage_percent, 20);
  assert.equal(find('ram')?.metrics.used_percent, 75);
  assert.equal(find('ram')?.metrics.swap_used_percent, 50);
  assert.deepEqual(
    results.filter((entry) => entry.name === 'disk').map((entry) => entry.instance),
    ['/'],
  );
  assert.equal(find('disk', '/')?.status, 'WARN');
  assert.deepEqual(find('network', 'en0')?.metrics, { rx_bytes_per_second: 2048, tx_bytes_per_second: 1024 });
  assert.equal(find('gpu', 'gpu0')?.metrics.memory_used_percent, 25);
  assert.equal(find('temperature', 'cpu/core 1')?.metrics.temperature_celsius, 50);
});

test('off Linux a check without a fallback, or a host without GPU or sensors, reports UNKNOWN', async () => {
  const result = validateConfig({ enabled_checks: ['gpu', 'temperature'] });
  assert.ok(result.ok);
  const empty: SystemInformation = {
    ...fakeSi,
    graphics: () => Promise.resolve({ controllers: [] }),
    cpuTemperature: () => Promise.resolve({ main: null, cores: [], max: null }),
  };
  const host = {
    ...fixtureHost('vm-basic'),
    platform: 'win32' as const,
    systemInformation: () => Promise.resolve(empty),
  };
  const cycle = createCycle(result.config, {
    host,
    hostname: 'w',
    logger: createLogRouter({ level: 'ERROR', outputs: [] }).logger,
    monotonicMs: () => 0,
    now: () => new Date(0),
  });
  const { results } = await cycle.run(new AbortController().signal);
  assert.deepEqual(
    results.map((entry) => entry.details),
    ['no GPU found', 'no sensors found'],
  );
});

test('loadSystemInformation() loads the real optional dependency', async () => {
  const { loadSystemInformation } = await import('../collect/systeminformation.ts');
  const si = await loadSystemInformation();
  assert.equal(typeof si.currentLoad, 'function');
  assert.equal(typeof si.fsSize, 'function');
});
