import { readThermalZones } from '../collect/hwmon.ts';
import { defineExporter } from './exporter.ts';
import { THERMAL_ZONE_TEMP } from './families.ts';
import type { ExportedSample } from './series.ts';

/** node_exporter's thermal_zone collector: node_thermal_zone_temp{type,zone}. */
export const thermalZoneExporter = defineExporter({
  description: 'ACPI thermal zones of /sys/class/thermal',
  collect: ({ host }) => {
    const samples: ExportedSample[] = [];
    for (const sensor of readThermalZones(host)) {
      const { source } = sensor;
      if (source.kind === 'thermal')
        samples.push({
          family: THERMAL_ZONE_TEMP,
          labels: { type: source.type, zone: source.zone },
          value: sensor.celsius,
        });
    }
    return samples;
  },
});
