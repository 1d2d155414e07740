import { basename } from 'node:path';
import { sysPath, tryReadNumber, type Host } from './host.ts';

/** Where a reading comes from, in the terms node_exporter's hwmon and thermal_zone collectors label it with. */
export type SensorSource =
  // The directory, not its chip label: resolving the device link is only worth it when something exports it.
  | { kind: 'hwmon'; dir: string; entry: string; chipName?: string; sensor: string; label?: string }
  | { kind: 'thermal'; zone: string; type: string };

export interface TemperatureSensor {
  /** "coretemp/Core 0" for hwmon, "thermal_zone0/x86_pkg_temp" for thermal zones. */
  id: string;
  celsius: number;
  /** The hardware's own alarm points, when the driver exposes them. */
  highCelsius?: number;
  criticalCelsius?: number;
  source: SensorSource;
}

/** node_exporter's cleanMetricName: lower case, anything but [a-z0-9:_] as "_", no "_" at either end. */
const cleanName = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9:_]/g, '_')
    .replace(/^_+|_+$/g, '');

/**
 * The chip label node_exporter gives a hwmon directory (hwmonName in collector/hwmon_linux.go): from the device it
 * belongs to, "<bus>_<device>" (platform_coretemp_0, nvme_nvme0), which stays put across reboots where hwmonN does
 * not; else the name file; else hwmonN.
 */
export function hwmonChip(host: Host, dir: string, entry: string): string {
  const device = host.realPath(`${dir}/device`)?.split('/') ?? [];
  const deviceName = cleanName(device.at(-1) ?? '');
  const bus = cleanName(device.at(-2) ?? '');
  if (deviceName !== '') return bus === '' ? deviceName : `${bus}_${deviceName}`;
  return cleanName(host.tryReadText(`${dir}/name`) ?? '') || cleanName(basename(host.realPath(dir) ?? entry));
}

// hwmon and thermal zones report millidegrees.
const milli = (host: Host, path: string): number | undefined => {
  const value = tryReadNumber(host, path);
  return value === undefined ? undefined : value / 1000;
};

/** Reads temp*_input of one hwmon directory (Documentation/hwmon/sysfs-interface.rst); values are millidegrees. */
export function readHwmonDir(
  host: Host,
  dir: string,
  fallbackName: string,
): { name: string; sensors: TemperatureSensor[] } {
  const name = host.tryReadText(`${dir}/name`)?.trim() || fallbackName;
  const chipName = cleanName(name === fallbackName ? '' : name) || undefined;
  const sensors: TemperatureSensor[] = [];
  const inputs = host.listDir(dir).filter((file) => /^temp\d+_input$/.test(file));
  inputs.sort((a, b) => parseInt(a.slice(4), 10) - parseInt(b.slice(4), 10));
  for (const input of inputs) {
    const prefix = input.slice(0, -'_input'.length);
    const celsius = milli(host, `${dir}/${input}`);
    if (celsius === undefined) continue;
    const labelText = host.tryReadText(`${dir}/${prefix}_label`)?.replace(/\n+$/, '');
    const source: SensorSource = { kind: 'hwmon', dir, entry: fallbackName, sensor: prefix };
    if (chipName !== undefined) source.chipName = chipName;
    if (labelText !== undefined) source.label = labelText;
    const sensor: TemperatureSensor = { id: `${name}/${labelText?.trim() || prefix}`, celsius, source };
    const high = milli(host, `${dir}/${prefix}_max`);
    const critical = milli(host, `${dir}/${prefix}_crit`);
    if (high !== undefined) sensor.highCelsius = high;
    if (critical !== undefined) sensor.criticalCelsius = critical;
    sensors.push(sensor);
  }
  return { name, sensors };
}

export function readHwmon(host: Host): TemperatureSensor[] {
  const root = sysPath(host, 'class', 'hwmon');
  return host
    .listDir(root)
    .filter((entry) => entry.startsWith('hwmon'))
    .sort((a, b) => parseInt(a.slice(5), 10) - parseInt(b.slice(5), 10))
    .flatMap((entry) => readHwmonDir(host, `${root}/${entry}`, entry).sensors);
}

/** Reads /sys/class/thermal/thermal_zone*; zones whose temp cannot be read (some ACPI zones) are skipped. */
export function readThermalZones(host: Host): TemperatureSensor[] {
  const root = sysPath(host, 'class', 'thermal');
  const sensors: TemperatureSensor[] = [];
  for (const zone of host
    .listDir(root)
    .filter((entry) => entry.startsWith('thermal_zone'))
    .sort()) {
    const celsius = milli(host, `${root}/${zone}/temp`);
    if (celsius === undefined) continue;
    const type = host.tryReadText(`${root}/${zone}/type`)?.trim() || 'unknown';
    sensors.push({
      id: `${zone}/${type}`,
      celsius,
      source: { kind: 'thermal', zone: zone.slice('thermal_zone'.length), type },
    });
  }
  return sensors;
}
