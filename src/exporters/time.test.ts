import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createHost } from '../collect/host.ts';
import { FIXTURES } from '../../test/helpers/fixture-host.ts';
import { parsePosixZone, timeExporter } from './time.ts';

test('the time exporter gives the clock, the zone offset and the clocksources of <sysfs>', async () => {
  const host = createHost({ sysRoot: join(FIXTURES, 'node-exporter', 'sys') });
  const before = Date.now() / 1000;
  const samples = await timeExporter.collect({ host, probeMount: () => Promise.resolve('') }, {});
  const after = Date.now() / 1000;
  const now = samples.find((sample) => sample.family.name === 'node_time_seconds')?.value ?? 0;
  assert.ok(now >= before && now <= after, `${now} within [${before}, ${after}]`);
  const zone = samples.find((sample) => sample.family.name === 'node_time_zone_offset_seconds');
  assert.equal(zone?.value, -new Date().getTimezoneOffset() * 60);
  assert.deepEqual(
    samples
      .filter((sample) => sample.family.name.startsWith('node_time_clocksource'))
      .map((sample) => `${sample.family.name} ${sample.labels?.clocksource} ${sample.labels?.device}`),
    [
      'node_time_clocksource_available_info tsc 0',
      'node_time_clocksource_available_info hpet 0',
      'node_time_clocksource_available_info acpi_pm 0',
      'node_time_clocksource_current_info tsc 0',
    ],
  );
});

test("the zone's abbreviation comes from the POSIX TZ string of /etc/localtime, not from Intl", () => {
  assert.deepEqual(parsePosixZone('UTC0'), { std: 'UTC', stdOffsetSeconds: 0 });
  assert.deepEqual(parsePosixZone('CET-1CEST,M3.5.0,M10.5.0/3'), { std: 'CET', stdOffsetSeconds: 3600, dst: 'CEST' });
  assert.deepEqual(parsePosixZone('EST5EDT,M3.2.0,M11.1.0'), { std: 'EST', stdOffsetSeconds: -18000, dst: 'EDT' });
  assert.deepEqual(parsePosixZone('<+0530>-5:30'), { std: '+0530', stdOffsetSeconds: 19800 });
  assert.equal(parsePosixZone(''), undefined);
});
