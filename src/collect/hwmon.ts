import { sysPath, tryReadNumber, type Host } from './host.ts';

/** Where a reading comes from, in the terms node_exporter's hwmon and thermal_zone collectors label it with. */
export type SensorSource =
  { kind: 'hwmon'; sensor: string; label?: string } | { kind: 'thermal'; zone: string; type: string };

export interface TemperatureSensor {
  /** "coretemp/Core 0" for hwmon, "thermal_zone0/x86_pkg_temp" for thermal zones. */
  id: string;
  celsius: number;
  /** The hardware's own alarm points, when the driver exposes them. */
  highCelsius?: number;
  criticalCelsius?: number;
  source: SensorSource;
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
  const sensors: TemperatureSensor[] = [];
  const inputs = host.listDir(dir).filter((file) => /^temp\d+_input$/.test(file));
  inputs.sort((a, b) => parseInt(a.slice(4), 10) - parseInt(b.slice(4), 10));
  for (const input of inputs) {
    const prefix = input.slice(0, -'_input'.length);
    const celsius = milli(host, `${dir}/${input}`);
    if (celsius === undefined) continue;
    const labelText = host.tryReadText(`${dir}/${prefix}_label`)?.replace(/\n+$/, '');
    const source: SensorSource = { kind: 'hwmon', sensor: prefix };
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
