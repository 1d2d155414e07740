import { basename } from 'node:path';
import { sysPath, type Host } from './host.ts';

/** One hwmon directory as node_exporter reads it: every sensor file, unparsed, grouped by sensor. */
export interface HwmonChip {
  /** node_exporter's chip label: platform_coretemp_0, nct6779, hwmon4. */
  chip: string;
  /** The driver's `name` file, cleaned; absent when there is none. */
  chipName?: string;
  /** "temp1" → { input: "45000", max: "84000", label: "Core 0" }; a file without a property ("pwm1") is "". */
  sensors: Map<string, Map<string, string>>;
}

/** The sensor types of Documentation/hwmon/sysfs-interface.rst that node_exporter exports. */
const SENSOR_TYPES = new Set([
  'vrm',
  'beep_enable',
  'update_interval',
  'in',
  'cpu',
  'fan',
  'pwm',
  'temp',
  'curr',
  'power',
  'energy',
  'humidity',
  'intrusion',
  'freq',
]);
/** <type><number>_<property>: "temp1_crit_alarm", "pwm1", "update_interval". */
const SENSOR_FILE = /^([^0-9]+)([0-9]*)(?:_(.+))?$/;

/** node_exporter's cleanMetricName: lower case, anything but [a-z0-9:_] as "_", no "_" at either end. */
export const cleanHwmonName = (text: string): string =>
  text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9:_]/g, '_')
    .replace(/^_+|_+$/g, '');

/** The type of a sensor key ("temp1" → "temp", "beep_enable0" → "beep_enable"). */
export const sensorType = (sensor: string): string => SENSOR_FILE.exec(sensor)?.[1] ?? sensor;

/**
 * The chip label node_exporter gives a hwmon directory: "<bus>_<device>" of the device it belongs to
 * (platform_coretemp_0), which stays put across reboots where hwmonN does not, with the driver's name appended
 * when that device has several hwmon directories (ieee80211_phy0_mt7996_phy0_0, one per radio); else the name
 * file; else hwmonN.
 */
function chipLabel(host: Host, dir: string, entry: string, chipName: string | undefined): string {
  const device = host.realPath(`${dir}/device`);
  if (device !== undefined) {
    const parts = device.split('/');
    const deviceName = cleanHwmonName(parts.at(-1) ?? '');
    const bus = cleanHwmonName(parts.at(-2) ?? '');
    if (deviceName !== '') {
      const label = bus === '' ? deviceName : `${bus}_${deviceName}`;
      const siblings = host.listDir(`${device}/hwmon`).length;
      return siblings > 1 && chipName !== undefined ? `${label}_${chipName}` : label;
    }
  }
  return chipName ?? cleanHwmonName(basename(host.realPath(dir) ?? entry));
}

function addSensorFiles(host: Host, dir: string, sensors: HwmonChip['sensors']): void {
  for (const file of host.listDir(dir)) {
    const match = SENSOR_FILE.exec(file);
    if (!match || !SENSOR_TYPES.has(match[1] ?? '')) continue;
    const text = host.tryReadText(`${dir}/${file}`);
    if (text === undefined) continue; // write-only, or gone
    const sensor = `${match[1] ?? ''}${Number(match[2] || '0')}`;
    let properties = sensors.get(sensor);
    if (!properties) sensors.set(sensor, (properties = new Map<string, string>()));
    properties.set(match[3] ?? '', text.trim());
  }
}

/** temp1, temp2, temp10 rather than the directory's order, so the text of /metrics is the same on every read. */
function naturalOrder(sensors: HwmonChip['sensors']): HwmonChip['sensors'] {
  const key = (sensor: string): [string, number] => [
    sensorType(sensor),
    Number(sensor.slice(sensorType(sensor).length)),
  ];
  return new Map(
    [...sensors].sort(([a], [b]) => {
      const [typeA, numberA] = key(a);
      const [typeB, numberB] = key(b);
      return typeA === typeB ? numberA - numberB : typeA < typeB ? -1 : 1;
    }),
  );
}

/**
 * Every directory of /sys/class/hwmon with its sensor files, and those of its `device` directory (older drivers
 * keep them there), as node_exporter's hwmon collector reads them.
 */
export function readHwmonChips(host: Host): HwmonChip[] {
  const root = sysPath(host, 'class', 'hwmon');
  const chips: HwmonChip[] = [];
  for (const entry of host.listDir(root).sort()) {
    const dir = `${root}/${entry}`;
    if (!host.isDirectory(dir)) continue;
    const chipName = cleanHwmonName(host.tryReadText(`${dir}/name`) ?? '') || undefined;
    const sensors: HwmonChip['sensors'] = new Map();
    addSensorFiles(host, dir, sensors);
    if (host.isDirectory(`${dir}/device`)) addSensorFiles(host, `${dir}/device`, sensors);
    const chip: HwmonChip = { chip: chipLabel(host, dir, entry, chipName), sensors: naturalOrder(sensors) };
    if (chipName !== undefined) chip.chipName = chipName;
    chips.push(chip);
  }
  return chips;
}
