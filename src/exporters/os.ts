import type { Host } from '../collect/host.ts';
import { defineExporter } from './exporter.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

const INFO: ExportedFamily = {
  name: 'node_os_info',
  type: 'gauge',
  help: "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.",
};
const VERSION: ExportedFamily = {
  name: 'node_os_version',
  type: 'gauge',
  help: 'Metric containing the major.minor part of the OS version.',
};
/** os-release(5) keys that node_exporter makes labels of, and their label names. */
const KEYS = [
  'BUILD_ID',
  'ID',
  'ID_LIKE',
  'IMAGE_ID',
  'IMAGE_VERSION',
  'NAME',
  'PRETTY_NAME',
  'VARIANT',
  'VARIANT_ID',
  'VERSION',
  'VERSION_CODENAME',
  'VERSION_ID',
] as const;

/** os-release(5): KEY=value lines, the value optionally quoted, with shell escapes. */
export function parseOsRelease(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!match) continue;
    let value = match[2] ?? '';
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2)
      value = value.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    fields.set(match[1] ?? '', value);
  }
  return fields;
}

/** os-release(5) of the host's root: /etc/os-release, else /usr/lib/os-release (under host.rootfs). */
export const readOsRelease = (host: Host): string | undefined =>
  host.tryReadText(host.fsPath('/etc/os-release')) ?? host.tryReadText(host.fsPath('/usr/lib/os-release'));

/**
 * node_exporter's os collector: the distribution from os-release(5) of the host's root (/etc/os-release, else
 * /usr/lib/os-release, under host.rootfs), and its major.minor version as a number.
 */
export const osExporter = defineExporter({
  description: 'The distribution and its version, from os-release',
  collect: ({ host }) => {
    const text = readOsRelease(host);
    if (text === undefined) throw new Error('no /etc/os-release or /usr/lib/os-release');
    const fields = parseOsRelease(text);
    const labels = Object.fromEntries(KEYS.map((key) => [key.toLowerCase(), fields.get(key) ?? '']));
    const samples: ExportedSample[] = [{ family: INFO, labels, value: 1 }];
    const version = /^\d+(\.\d+)?/.exec(fields.get('VERSION_ID') ?? '')?.[0];
    if (version !== undefined)
      samples.push({
        family: VERSION,
        labels: { id: labels.id ?? '', id_like: labels.id_like ?? '', name: labels.name ?? '' },
        value: Number(version),
      });
    return samples;
  },
});
