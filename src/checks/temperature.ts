import * as v from 'valibot';
import { hwmonChip, readHwmon, readThermalZones, type TemperatureSensor } from '../collect/hwmon.ts';
import { CheckUnavailableError } from '../errors.ts';
import type { ExportedSample } from '../result.ts';
import { defineCheck } from './check.ts';
import { createNameFilter } from './name-filter.ts';
import { HWMON, THERMAL_ZONE_TEMP } from './node-exporter-families.ts';

/**
 * node_exporter's series for one sensor: node_hwmon_temp_celsius{chip,sensor} with its max and crit, the label as
 * node_hwmon_sensor_label, the chip's name once per chip; node_thermal_zone_temp{type,zone} for a thermal zone.
 */
function exportedSensor(sensor: TemperatureSensor, chip: string, firstOfChip: boolean): ExportedSample[] {
  const { source } = sensor;
  if (source.kind === 'thermal')
    return [{ family: THERMAL_ZONE_TEMP, labels: { type: source.type, zone: source.zone }, value: sensor.celsius }];
  const labels = { chip, sensor: source.sensor };
  const samples: ExportedSample[] = [{ family: HWMON.temp, labels, value: sensor.celsius }];
  if (sensor.highCelsius !== undefined) samples.push({ family: HWMON.max, labels, value: sensor.highCelsius });
  if (sensor.criticalCelsius !== undefined) samples.push({ family: HWMON.crit, labels, value: sensor.criticalCelsius });
  if (source.label !== undefined)
    samples.push({ family: HWMON.sensorLabel, labels: { ...labels, label: source.label }, value: 1 });
  if (firstOfChip && source.chipName !== undefined)
    samples.push({ family: HWMON.chipNames, labels: { chip, chip_name: source.chipName }, value: 1 });
  return samples;
}

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
    return ({ host, exportRaw }) => {
      const sensors = [...readHwmon(host), ...(options.thermal_zones ? readThermalZones(host) : [])];
      if (sensors.length === 0) throw new CheckUnavailableError('no sensors found');
      // One chip label per hwmon directory and cycle: it takes resolving symlinks, and only the agent wants it.
      const chips = new Map<string, string>();
      return sensors
        .filter((sensor) => isWanted(sensor.id))
        .map((sensor) => {
          const metrics: Record<string, number> = { temperature_celsius: sensor.celsius };
          if (sensor.highCelsius !== undefined) metrics.high_celsius = sensor.highCelsius;
          if (sensor.criticalCelsius !== undefined) metrics.critical_celsius = sensor.criticalCelsius;
          if (!exportRaw) return { instance: sensor.id, metrics };
          const { source } = sensor;
          if (source.kind !== 'hwmon')
            return { instance: sensor.id, metrics, exported: exportedSensor(sensor, '', false) };
          const known = chips.get(source.dir);
          const chip = known ?? hwmonChip(host, source.dir, source.entry);
          chips.set(source.dir, chip);
          return { instance: sensor.id, metrics, exported: exportedSensor(sensor, chip, known === undefined) };
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
