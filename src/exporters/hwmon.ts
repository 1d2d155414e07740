import { hwmonChip, readHwmon } from '../collect/hwmon.ts';
import { defineExporter } from './exporter.ts';
import { HWMON } from './families.ts';
import type { ExportedSample } from './series.ts';

/**
 * node_exporter's hwmon collector, temperatures so far: node_hwmon_temp_celsius{chip,sensor} with its max and crit,
 * the label as node_hwmon_sensor_label, each chip's name once as node_hwmon_chip_names.
 */
export const hwmonExporter = defineExporter({
  description: 'Temperature sensors of /sys/class/hwmon, with their marks and labels',
  collect: ({ host }) => {
    const samples: ExportedSample[] = [];
    // One chip label per hwmon directory: it takes resolving symlinks.
    const chips = new Map<string, string>();
    for (const sensor of readHwmon(host)) {
      const { source } = sensor;
      if (source.kind !== 'hwmon') continue;
      const known = chips.get(source.dir);
      const chip = known ?? hwmonChip(host, source.dir, source.entry);
      chips.set(source.dir, chip);
      const labels = { chip, sensor: source.sensor };
      samples.push({ family: HWMON.temp, labels, value: sensor.celsius });
      if (sensor.highCelsius !== undefined) samples.push({ family: HWMON.max, labels, value: sensor.highCelsius });
      if (sensor.criticalCelsius !== undefined)
        samples.push({ family: HWMON.crit, labels, value: sensor.criticalCelsius });
      if (source.label !== undefined)
        samples.push({ family: HWMON.sensorLabel, labels: { ...labels, label: source.label }, value: 1 });
      if (known === undefined && source.chipName !== undefined)
        samples.push({ family: HWMON.chipNames, labels: { chip, chip_name: source.chipName }, value: 1 });
    }
    return samples;
  },
});
