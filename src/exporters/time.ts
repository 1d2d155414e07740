import { readFileSync } from 'node:fs';
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

/**
 * The zone's abbreviations and standard offset from a POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3", "UTC0",
 * "<+03>-3"): the footer of a TZif v2+ file, or TZ itself. POSIX offsets are west of Greenwich, hence the sign.
 */
export function parsePosixZone(text: string): { std: string; stdOffsetSeconds: number; dst?: string } | undefined {
  const match = /^(<[^>]+>|[A-Za-z]{3,})([-+]?\d{1,2})(?::(\d{2}))?(?::\d{2})?(<[^>]+>|[A-Za-z]{3,})?/.exec(
    text.trim(),
  );
  if (!match) return undefined;
  const unquote = (name: string): string => name.replace(/^<|>$/g, '');
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? 0) * Math.sign(hours || 1);
  const zone: { std: string; stdOffsetSeconds: number; dst?: string } = {
    std: unquote(match[1] ?? ''),
    stdOffsetSeconds: 0 - (hours * 3600 + minutes * 60),
  };
  if (match[4] !== undefined) zone.dst = unquote(match[4]);
  return zone;
}

let localZone: ReturnType<typeof parsePosixZone> | null = null;
/**
 * This process's zone, as Go's time.Local is node_exporter's: TZ when set, else /etc/localtime. Not Intl, whose
 * zone names cost 8 MiB of ICU data in RSS (measured: one DateTimeFormat), for three letters.
 */
function zoneOfThisProcess(): ReturnType<typeof parsePosixZone> {
  if (localZone !== null) return localZone;
  const tz = process.env.TZ?.replace(/^:/, '');
  const file = tz === undefined || tz === '' ? '/etc/localtime' : tz.startsWith('/') ? tz : `/usr/share/zoneinfo/${tz}`;
  let footer: string | undefined;
  try {
    const lines = readFileSync(file, 'latin1').split('\n');
    footer = lines.at(-2); // TZif v2+ ends "\n<POSIX TZ>\n"
  } catch {
    footer = tz; // not a zone file: TZ may be a POSIX string itself
  }
  localZone = parsePosixZone(footer ?? '') ?? { std: 'UTC', stdOffsetSeconds: 0 };
  return localZone;
}

/** The zone's abbreviation now, as Go's time.Now().Zone() gives it ("UTC", "CET" or, in summer, "CEST"). */
function zoneName(offsetSeconds: number): string {
  const zone = zoneOfThisProcess();
  if (!zone) return 'UTC';
  return zone.dst !== undefined && offsetSeconds !== zone.stdOffsetSeconds ? zone.dst : zone.std;
}

/**
 * node_exporter's time collector: the clock (so Prometheus can see drift against its own), the zone offset, and
 * the kernel's clocksources.
 */
export const timeExporter = defineExporter({
  description: 'System time, time zone offset and the kernel clocksources',
  collect: ({ host }) => {
    const now = new Date();
    const offset = -now.getTimezoneOffset() * 60;
    const samples: ExportedSample[] = [
      { family: NOW, value: now.getTime() / 1000 },
      { family: ZONE, labels: { time_zone: zoneName(offset) }, value: offset },
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
