import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCheckContract, runSnapshots } from '../../test/helpers/check-contract.ts';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { CheckUnavailableError } from '../errors.ts';
import { temperatureCheck } from './temperature.ts';

test('temperature check reads hwmon sensors with labels and marks, then thermal zones', async () => {
  const [readings = []] = await runSnapshots(temperatureCheck, [fixtureHost('sensors', 0)]);
  assert.deepEqual(
    readings.map((reading) => reading.instance),
    [
      'coretemp/Package id 0',
      'coretemp/Core 0',
      'coretemp/Core 8',
      'nvme/Composite',
      'acpitz/temp1',
      'thermal_zone0/x86_pkg_temp',
      'thermal_zone1/acpitz',
    ],
  );
  assert.deepEqual(readings[0]?.metrics, { temperature_celsius: 45, high_celsius: 80, critical_celsius: 100 });
  assert.equal(temperatureCheck.summarize(readings[3] ?? { metrics: {} }), 'nvme/Composite: 38.9°C (crit 85°C)');
  assertCheckContract(temperatureCheck, readings);
});

test('temperature check filters sensors by glob and can skip thermal zones', async () => {
  const [readings = []] = await runSnapshots(temperatureCheck, [fixtureHost('sensors', 0)], {
    include: ['coretemp/*'],
    exclude: ['*Core 8'],
    thermal_zones: false,
  });
  assert.deepEqual(
    readings.map((reading) => reading.instance),
    ['coretemp/Package id 0', 'coretemp/Core 0'],
  );
});

test('temperature check says "no sensors found" on a host without any', async () => {
  await assert.rejects(
    runSnapshots(temperatureCheck, [fixtureHost('vm-basic', 0)]),
    (error: unknown) => error instanceof CheckUnavailableError && error.message === 'no sensors found',
  );
});
