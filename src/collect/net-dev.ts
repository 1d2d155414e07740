import { fieldCursor, nextLine, nextNumber } from './field-cursor.ts';
import { procPath, sysPath, type Host } from './host.ts';

export interface InterfaceCounters {
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
  /** The rest of the line, which only node_exporter's series show. */
  rxFifo?: number;
  rxFrame?: number;
  rxCompressed?: number;
  rxMulticast?: number;
  txFifo?: number;
  txColls?: number;
  txCarrier?: number;
  txCompressed?: number;
}

/** Parses /proc/net/dev: two header lines, then "iface: 16 counters". Interface names may contain ":" (aliases). */
export function parseNetDev(text: string): Map<string, InterfaceCounters> {
  const interfaces = new Map<string, InterfaceCounters>();
  const line = fieldCursor(text);
  if (!nextLine(line) || !nextLine(line)) return interfaces;
  const values: number[] = new Array<number>(16);
  const at = (index: number): number => values[index] ?? 0;
  while (nextLine(line)) {
    const start = line.position;
    const colon = text.lastIndexOf(':', line.lineEnd - 1);
    if (colon < start) continue;
    line.position = colon + 1;
    for (let index = 0; index < values.length; index += 1) values[index] = nextNumber(line);
    if (values.some(Number.isNaN))
      throw new SyntaxError(`Cannot parse /proc/net/dev line "${text.slice(start, line.lineEnd)}"`);
    interfaces.set(text.slice(start, colon).trim(), {
      rxBytes: at(0),
      rxPackets: at(1),
      rxErrors: at(2),
      rxDropped: at(3),
      rxFifo: at(4),
      rxFrame: at(5),
      rxCompressed: at(6),
      rxMulticast: at(7),
      txBytes: at(8),
      txPackets: at(9),
      txErrors: at(10),
      txDropped: at(11),
      txFifo: at(12),
      txColls: at(13),
      txCarrier: at(14),
      txCompressed: at(15),
    });
  }
  return interfaces;
}

export const readNetDev = (host: Host): Map<string, InterfaceCounters> =>
  parseNetDev(host.readText(procPath(host, 'net', 'dev')));

/** The kernel's index of the interface: a new one under a reused name (veth churn) has a new index. */
export const readIfindex = (host: Host, name: string): string | undefined =>
  host.tryReadText(sysPath(host, 'class', 'net', name, 'ifindex'))?.trim();

/** Link speed in bytes per second; undefined for virtual links and links that are down (the kernel says -1 or EINVAL). */
export function readLinkSpeed(host: Host, name: string): number | undefined {
  const speedMbits = Number(host.tryReadText(sysPath(host, 'class', 'net', name, 'speed'))?.trim());
  return speedMbits > 0 ? (speedMbits * 1_000_000) / 8 : undefined;
}
