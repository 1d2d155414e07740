import { cpuExporter } from './cpu.ts';
import { diskstatsExporter } from './diskstats.ts';
import type { Exporter } from './exporter.ts';
import { filesystemExporter } from './filesystem.ts';
import { hwmonExporter } from './hwmon.ts';
import { loadavgExporter } from './loadavg.ts';
import { meminfoExporter } from './meminfo.ts';
import { netdevExporter } from './netdev.ts';
import { statExporter } from './stat.ts';
import { thermalZoneExporter } from './thermal-zone.ts';

/** node_exporter's collectors that Argus implements, under node_exporter's names; /metrics runs them all. */
export const exporters = {
  cpu: cpuExporter,
  diskstats: diskstatsExporter,
  filesystem: filesystemExporter,
  hwmon: hwmonExporter,
  loadavg: loadavgExporter,
  meminfo: meminfoExporter,
  netdev: netdevExporter,
  stat: statExporter,
  thermal_zone: thermalZoneExporter,
} satisfies Record<string, Exporter>;

export type ExporterName = keyof typeof exporters;
