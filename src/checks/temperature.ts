import * as v from 'valibot';
import { readHwmon, readThermalZones } from '../collect/hwmon.ts';
import { CheckUnavailableError } from '../errors.ts';
import { defineCheck } from './check.ts';
import { createNameFilter } from './name-filter.ts';

export const temperatureCheck = defineCheck({
  description: 'Temperature sensors from /sys/class/hwmon and /sys/class/thermal',
  categories: ['hardware', 'sensors'],
  options: v.strictObject({
    include: v.pipe(
      v.optional(v.array(v.string()), []),
      v.description('Only sensors whose id matches these globs ("coretemp/*")'),
    ),
    exclude: v.pipe(v.optional(v.array(v.string()), []), v.description('Sensors to skip (globs)')),
    thermal_zones: v.pipe(v.optional(v.boolean(), true), v.description('Also read ACPI thermal zones')),
  }),
  metrics: [
    { name: 'temperature_celsius', unit: 'celsius', help: 'Sensor reading' },
    { name: 'high_celsius', unit: 'celsius', help: "The hardware's own high mark, when the driver exposes it" },
    { name: 'critical_celsius', unit: 'celsius', help: "The hardware's own critical mark, when the driver exposes it" },
  ],
  mainMetric: 'temperature_celsius',
  defaultThresholds: { temperature_celsius: { warn: 80, crit: 95 } },
  create: (options) => {
    const isWanted = createNameFilter(options.include, options.exclude);
    return ({ host }) => {
      const sensors = [...readHwmon(host), ...(options.thermal_zones ? readThermalZones(host) : [])];
      if (sensors.length === 0) throw new CheckUnavailableError('no sensors found');
      return sensors
        .filter((sensor) => isWanted(sensor.id))
        .map((sensor) => {
          const metrics: Record<string, number> = { temperature_celsius: sensor.celsius };
          if (sensor.highCelsius !== undefined) metrics.high_celsius = sensor.highCelsius;
          if (sensor.criticalCelsius !== undefined) metrics.critical_celsius = sensor.criticalCelsius;
          return { instance: sensor.id, metrics };
        });
    };
  },
  portable: async (_options, si) => {
    const temperature = await si.cpuTemperature();
    const sensors = [
      ...(temperature.main === null ? [] : [{ instance: 'cpu/package', celsius: temperature.main }]),
      ...temperature.cores.map((celsius, core) => ({ instance: `cpu/core ${core}`, celsius })),
    ];
    if (sensors.length === 0) throw new CheckUnavailableError('no sensors found');
    return sensors.map((sensor) => ({ instance: sensor.instance, metrics: { temperature_celsius: sensor.celsius } }));
  },
  summarize: ({ instance, metrics }) => {
    const marks = metrics.critical_celsius === undefined ? '' : ` (crit ${metrics.critical_celsius.toFixed(0)}°C)`;
    return `${instance ?? ''}: ${(metrics.temperature_celsius ?? 0).toFixed(1)}°C${marks}`;
  },
});
