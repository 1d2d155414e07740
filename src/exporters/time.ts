import { sysPath } from '../collect/host.ts';
import { defineExporter } from './exporter.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

const gauge = (name: string, help: string): ExportedFamily => ({ name, type: 'gauge', help });
const NOW = gauge('node_time_seconds', 'System time in seconds since epoch (1970).');
const ZONE = gauge('node_time_zone_offset_seconds', 'System time zone offset in seconds.');
const AVAILABLE = gauge(
  'node_time_clocksource_available_info',
  "Available clocksources read from '/sys/devices/system/clocksource'.",
);
const CURRENT = gauge(
  'node_time_clocksource_current_info',
  "Current clocksource read from '/sys/devices/system/clocksource'.",
);

/** The zone's abbreviation as Go's time.Now().Zone() gives it ("UTC", "CET"), from Intl. */
function zoneName(now: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
    .formatToParts(now)
    .find((piece) => piece.type === 'timeZoneName');
  return part?.value ?? 'UTC';
}

/**
 * node_exporter's time collector: the clock (so Prometheus can see drift against its own), the zone offset, and
 * the kernel's clocksources.
 */
export const timeExporter = defineExporter({
  description: 'System time, time zone offset and the kernel clocksources',
  collect: ({ host }) => {
    const now = new Date();
    const samples: ExportedSample[] = [
      { family: NOW, value: now.getTime() / 1000 },
      { family: ZONE, labels: { time_zone: zoneName(now) }, value: -now.getTimezoneOffset() * 60 },
    ];
    const root = sysPath(host, 'devices', 'system', 'clocksource');
    for (const entry of host.listDir(root).sort()) {
      if (!entry.startsWith('clocksource')) continue;
      const device = entry.slice('clocksource'.length);
      for (const clocksource of (host.tryReadText(`${root}/${entry}/available_clocksource`) ?? '').trim().split(/\s+/))
        if (clocksource !== '') samples.push({ family: AVAILABLE, labels: { clocksource, device }, value: 1 });
      const current = host.tryReadText(`${root}/${entry}/current_clocksource`)?.trim();
      if (current) samples.push({ family: CURRENT, labels: { clocksource: current, device }, value: 1 });
    }
    return samples;
  },
});
