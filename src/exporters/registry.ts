import * as v from 'valibot';
import { arpExporter } from './arp.ts';
import { conntrackExporter } from './conntrack.ts';
import { cpuExporter } from './cpu.ts';
import { cpufreqExporter } from './cpufreq.ts';
import { diskstatsExporter } from './diskstats.ts';
import { entropyExporter } from './entropy.ts';
import type { BoundExporter, Exporter, ExporterOptionsSchema } from './exporter.ts';
import { filefdExporter } from './filefd.ts';
import { filesystemExporter } from './filesystem.ts';
import { hwmonExporter } from './hwmon.ts';
import { loadavgExporter } from './loadavg.ts';
import { meminfoExporter } from './meminfo.ts';
import { netclassExporter } from './netclass.ts';
import { netdevExporter } from './netdev.ts';
import { netstatExporter } from './netstat.ts';
import { osExporter } from './os.ts';
import { pressureExporter } from './pressure.ts';
import { sockstatExporter } from './sockstat.ts';
import { softnetExporter } from './softnet.ts';
import { statExporter } from './stat.ts';
import { thermalZoneExporter } from './thermal-zone.ts';
import { timeExporter } from './time.ts';
import { timexExporter } from './timex.ts';
import { udpQueuesExporter } from './udp-queues.ts';
import { unameExporter } from './uname.ts';
import { vmstatExporter } from './vmstat.ts';

/** node_exporter's collectors that Argus implements, under node_exporter's names; /metrics runs the enabled ones. */
export const exporters = {
  arp: arpExporter,
  conntrack: conntrackExporter,
  cpu: cpuExporter,
  cpufreq: cpufreqExporter,
  diskstats: diskstatsExporter,
  entropy: entropyExporter,
  filefd: filefdExporter,
  filesystem: filesystemExporter,
  hwmon: hwmonExporter,
  loadavg: loadavgExporter,
  meminfo: meminfoExporter,
  netclass: netclassExporter,
  netdev: netdevExporter,
  netstat: netstatExporter,
  os: osExporter,
  pressure: pressureExporter,
  sockstat: sockstatExporter,
  softnet: softnetExporter,
  stat: statExporter,
  thermal_zone: thermalZoneExporter,
  time: timeExporter,
  timex: timexExporter,
  udp_queues: udpQueuesExporter,
  uname: unameExporter,
  vmstat: vmstatExporter,
} satisfies Record<string, Exporter>;

export type ExporterName = keyof typeof exporters;
export const EXPORTER_NAMES = Object.keys(exporters).sort() as ExporterName[];

/** The config's `exporters:` section, as validated: which collectors run, and each one's options. */
export interface ExporterSettings {
  /** node_exporter's `--collector.X`: turned on beside the defaults. */
  enabled?: readonly string[];
  /** node_exporter's `--no-collector.X`. */
  disabled?: readonly string[];
  [name: string]: unknown;
}

/**
 * The exporters /metrics runs, with their options: node_exporter's defaults, plus `enabled`, minus `disabled`.
 * Options were validated (and defaulted) by the config schema; parsing again here costs microseconds, once a load.
 */
export function bindExporters(
  settings: ExporterSettings = {},
  set: Readonly<Record<string, Exporter>> = exporters,
): Record<string, BoundExporter> {
  const bound: Record<string, BoundExporter> = {};
  for (const [name, exporter] of Object.entries<Exporter>(set)) {
    const on =
      (exporter.defaultEnabled !== false || (settings.enabled?.includes(name) ?? false)) &&
      !(settings.disabled?.includes(name) ?? false);
    if (!on) continue;
    const options = exporter.options === undefined ? {} : v.parse(exporter.options, settings[name] ?? {});
    bound[name] = { collect: (context) => exporter.collect(context, options) };
  }
  return bound;
}

/** The config schema's `exporters:` section, built from the exporters' own option schemas. */
export function exporterSettingsSchema(set: Readonly<Record<string, Exporter>> = exporters) {
  const names = Object.keys(set).sort();
  const nameList = v.array(v.picklist(names, `must be one of: ${names.join(', ')}`));
  const entries: Record<string, v.GenericSchema> = {
    enabled: v.pipe(
      v.optional(nameList, []),
      v.description('Collectors to run that node_exporter leaves off by default (its --collector.NAME)'),
    ),
    disabled: v.pipe(v.optional(nameList, []), v.description('Collectors not to run (--no-collector.NAME)')),
  };
  for (const [name, exporter] of Object.entries<Exporter<ExporterOptionsSchema>>(set))
    if (exporter.options !== undefined)
      entries[name] = v.pipe(v.optional(exporter.options, {}), v.description(`Options of the ${name} collector`));
  return v.pipe(
    v.optional(v.strictObject(entries), {}),
    v.description("node_exporter's series on /metrics: which collectors run, with their --collector.* options"),
  );
}
