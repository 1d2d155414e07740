import * as v from 'valibot';
import { cleanHwmonName, readHwmonChips, sensorType } from '../collect/hwmon-chips.ts';
import { nameFilter, regexSchema } from '../schema/regex.ts';
import { defineExporter } from './exporter.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

const CHIP_NAMES: ExportedFamily = {
  name: 'node_hwmon_chip_names',
  type: 'gauge',
  help: 'Annotation metric for human-readable chip names',
};
const SENSOR_LABEL: ExportedFamily = {
  name: 'node_hwmon_sensor_label',
  type: 'gauge',
  help: 'Label for given chip and sensor',
};

// Names are made from the files a driver offers (node_hwmon_pwm_auto_point1_temp), so families are made on demand.
const known = new Map<string, ExportedFamily>();
function family(name: string, help: string, type: ExportedFamily['type'] = 'gauge'): ExportedFamily {
  let made = known.get(name);
  if (!made) known.set(name, (made = { name, type, help }));
  return made;
}

/** A sysfs value as Go's ParseFloat takes it: "45000" yes, "" or "45000 mC" no (such files are skipped). */
function parseNumber(text: string): number | undefined {
  const value = text === '' ? Number.NaN : Number(text);
  return Number.isNaN(value) ? undefined : value;
}

interface Series {
  family: ExportedFamily;
  value: number;
}

/** Fixed-purpose files: one value for the sensor, no element. */
function special(type: string, properties: ReadonlyMap<string, string>): Series | undefined {
  const text = properties.get('') ?? '';
  if (type === 'beep_enable')
    return { family: family('node_hwmon_beep_enabled', 'Hardware beep enabled'), value: text === '1' ? 1 : 0 };
  const value = parseNumber(text);
  if (value === undefined) return undefined;
  if (type === 'vrm')
    return { family: family('node_hwmon_voltage_regulator_version', 'Hardware voltage regulator'), value };
  return {
    family: family('node_hwmon_update_interval_seconds', 'Hardware monitor update interval'),
    value: value * 0.001,
  };
}

/**
 * One element of a sensor (temp1's `max`), under node_exporter's name, help and unit for it (collector/
 * hwmon_linux.go): millivolts, millidegrees and milliamps as base units, microwatts and microjoules likewise; the
 * value a file holds when a name has no unit of its own. The multiplications are node_exporter's (`× 0.001`, not
 * `/ 1000`), so values match to the last bit.
 */
function element(type: string, property: string, value: number): Series | undefined {
  const prefix = `node_hwmon_${type}`;
  const base = property === 'input' ? prefix : property === '' ? prefix : `${prefix}_${cleanHwmonName(property)}`;
  if (property === 'fault' || property === 'alarm')
    return { family: family(base, `Hardware sensor ${property} status (${type})`), value };
  if (property === 'beep')
    return { family: family(`${base}_enabled`, 'Hardware monitor sensor has beeping enabled'), value };
  switch (type) {
    case 'in':
    case 'cpu':
      return { family: family(`${base}_volts`, `Hardware monitor for voltage (${property})`), value: value * 0.001 };
    case 'temp':
      if (property === 'type') return undefined;
      return {
        family: family(`${base}_celsius`, `Hardware monitor for temperature (${property})`),
        value: value * 0.001,
      };
    case 'curr':
      return { family: family(`${base}_amps`, `Hardware monitor for current (${property})`), value: value * 0.001 };
    case 'energy':
      return {
        family: family(`${base}_joule_total`, `Hardware monitor for joules used so far (${property})`, 'counter'),
        value: value / 1000000,
      };
    case 'power':
      if (property === 'accuracy')
        return {
          family: family(base, 'Hardware monitor power meter accuracy, as a ratio'),
          value: value / 1000000,
        };
      if (property === 'average_interval' || property === 'average_interval_min' || property === 'average_interval_max')
        return {
          family: family(`${base}_seconds`, `Hardware monitor power usage update interval (${property})`),
          value: value * 0.001,
        };
      return {
        family: family(`${base}_watt`, `Hardware monitor for power usage in watts (${property})`),
        value: value / 1000000,
      };
    case 'humidity':
      return {
        family: family(
          base,
          `Hardware monitor for humidity, as a ratio (multiply with 100.0 to get the humidity as a percentage) (${property})`,
        ),
        value: value / 1000000,
      };
    case 'fan':
      if (property === 'input' || property === 'min' || property === 'max' || property === 'target')
        return {
          family: family(`${base}_rpm`, `Hardware monitor for fan revolutions per minute (${property})`),
          value,
        };
      break;
    case 'freq':
      if (property === 'input')
        return {
          family: family(`${prefix}_freq_mhz`, 'Hardware monitor for GPU frequency in MHz'),
          value: value / 1000000,
        };
      break;
  }
  return { family: family(base, `Hardware monitor ${type} element ${property}`), value };
}

/**
 * node_exporter's hwmon collector: every sensor of /sys/class/hwmon (temperatures, fans, voltages, currents, power,
 * energy, humidity, PWM, intrusion, GPU clocks), labelled {chip, sensor}, with node_hwmon_chip_names and
 * node_hwmon_sensor_label as annotations.
 */
export const hwmonExporter = defineExporter({
  description: 'Every sensor of /sys/class/hwmon: temperatures, fans, voltages, power, with chip names and labels',
  options: v.strictObject({
    chip_include: v.pipe(
      v.optional(regexSchema),
      v.description('Only chips whose label matches (--collector.hwmon.chip-include)'),
    ),
    chip_exclude: v.pipe(
      v.optional(regexSchema),
      v.description('Chips whose label matches are skipped (--collector.hwmon.chip-exclude)'),
    ),
    sensor_include: v.pipe(
      v.optional(regexSchema),
      v.description('Only sensors whose "chip;sensor" matches (--collector.hwmon.sensor-include)'),
    ),
    sensor_exclude: v.pipe(
      v.optional(regexSchema),
      v.description('Sensors whose "chip;sensor" matches are skipped (--collector.hwmon.sensor-exclude)'),
    ),
  }),
  collect: ({ host }, options) => {
    const chipWanted = nameFilter(options.chip_include, options.chip_exclude);
    const sensorWanted = nameFilter(options.sensor_include, options.sensor_exclude);
    const samples: ExportedSample[] = [];
    for (const { chip, chipName, sensors } of readHwmonChips(host)) {
      if (!chipWanted(chip)) continue;
      if (chipName !== undefined) samples.push({ family: CHIP_NAMES, labels: { chip, chip_name: chipName }, value: 1 });
      for (const [sensor, properties] of sensors) {
        if (!sensorWanted(`${chip};${sensor}`)) continue;
        const type = sensorType(sensor);
        const label = properties.get('label');
        if (label !== undefined) samples.push({ family: SENSOR_LABEL, labels: { chip, sensor, label }, value: 1 });
        if (type === 'beep_enable' || type === 'vrm' || type === 'update_interval') {
          const series = special(type, properties);
          if (series) samples.push({ ...series, labels: { chip, sensor } });
          continue;
        }
        // GPU clocks are told apart by their label (sclk, mclk), as node_exporter does.
        const name =
          type === 'freq' && label !== undefined && cleanHwmonName(label) !== '' ? cleanHwmonName(label) : sensor;
        for (const [property, text] of properties) {
          if (property === 'label') continue;
          const value = parseNumber(text);
          if (value === undefined) continue;
          const series = element(type, property, value);
          if (series) samples.push({ ...series, labels: { chip, sensor: name } });
        }
      }
    }
    return samples;
  },
});
