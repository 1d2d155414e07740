import * as v from 'valibot';
import { sysPath } from '../collect/host.ts';
import { regexSchema } from '../schema/regex.ts';
import { defineExporter } from './exporter.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

const property = (name: string, type: ExportedFamily['type'] = 'gauge'): ExportedFamily => ({
  name: `node_network_${name}`,
  type,
  help: `Network device property: ${name}`,
});
/** Files of /sys/class/net/<device> (Documentation/ABI/testing/sysfs-class-net) and node_exporter's names. */
const FILES: [file: string, family: ExportedFamily][] = [
  ['addr_assign_type', property('address_assign_type')],
  ['carrier', property('carrier')],
  ['carrier_changes', property('carrier_changes_total', 'counter')],
  ['carrier_up_count', property('carrier_up_changes_total', 'counter')],
  ['carrier_down_count', property('carrier_down_changes_total', 'counter')],
  ['dev_id', property('device_id')],
  ['dormant', property('dormant')],
  ['flags', property('flags')],
  ['ifindex', property('iface_id')],
  ['iflink', property('iface_link')],
  ['link_mode', property('iface_link_mode')],
  ['mtu', property('mtu_bytes')],
  ['name_assign_type', property('name_assign_type')],
  ['netdev_group', property('net_dev_group')],
  ['tx_queue_len', property('transmit_queue_length')],
  ['type', property('protocol_type')],
];
const SPEED = property('speed_bytes');
const UP: ExportedFamily = {
  name: 'node_network_up',
  type: 'gauge',
  help: "Value is 1 if operstate is 'up', 0 otherwise.",
};
const INFO: ExportedFamily = {
  name: 'node_network_info',
  type: 'gauge',
  help: 'Non-numeric data from /sys/class/net/<iface>, value is always 1.',
};
const IFF_UP = 0x1;

/** A sysfs integer as the kernel writes it: decimal, or hex with 0x (dev_id, flags). Unreadable files are skipped. */
const integer = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!/^-?(\d+|0x[0-9a-f]+)$/i.test(trimmed)) return undefined;
  return Number(trimmed);
};

/**
 * node_exporter's netclass collector: each interface's state from /sys/class/net — up, carrier, MTU, speed, flags,
 * carrier changes — and node_network_info with its address, duplex and operstate.
 */
export const netclassExporter = defineExporter({
  description: 'Interface state from /sys/class/net: up, carrier, MTU, speed, carrier changes, address',
  options: v.strictObject({
    ignored_devices: v.pipe(
      v.optional(regexSchema, '^$'),
      v.description('Interfaces to leave out (--collector.netclass.ignored-devices)'),
    ),
    ignore_invalid_speed: v.pipe(
      v.optional(v.boolean(), false),
      v.description('Leave out a speed the driver reports as -1 (--collector.netclass.ignore-invalid-speed)'),
    ),
  }),
  collect: ({ host }, options) => {
    const ignored = new RegExp(options.ignored_devices, 'u');
    const root = sysPath(host, 'class', 'net');
    const samples: ExportedSample[] = [];
    for (const device of host.listDir(root).sort()) {
      const dir = `${root}/${device}`;
      // bonding_masters is a file beside the interfaces.
      if (ignored.test(device) || !host.isDirectory(dir)) continue;
      const read = (file: string): string | undefined => host.tryReadText(`${dir}/${file}`)?.trim();
      const labels = { device };
      const operstate = read('operstate') ?? '';
      const flags = integer(read('flags'));
      samples.push(
        { family: UP, labels, value: operstate === 'up' ? 1 : 0 },
        {
          family: INFO,
          labels: {
            address: read('address') ?? '',
            adminstate: flags === undefined ? '' : flags & IFF_UP ? 'up' : 'down',
            broadcast: read('broadcast') ?? '',
            device,
            duplex: read('duplex') ?? '',
            ifalias: read('ifalias') ?? '',
            operstate,
          },
          value: 1,
        },
      );
      for (const [file, family] of FILES) {
        const value = integer(read(file));
        if (value !== undefined) samples.push({ family, labels, value });
      }
      const speed = integer(read('speed'));
      if (speed !== undefined && (speed >= 0 || !options.ignore_invalid_speed))
        samples.push({ family: SPEED, labels, value: (speed * 1000 * 1000) / 8 });
    }
    return samples;
  },
});
