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
}

/** Parses /proc/net/dev: two header lines, then "iface: 16 counters". Interface names may contain ":" (aliases). */
export function parseNetDev(text: string): Map<string, InterfaceCounters> {
  const interfaces = new Map<string, InterfaceCounters>();
  for (const line of text.split('\n').slice(2)) {
    const colon = line.lastIndexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const values = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (values.length < 16 || values.some(Number.isNaN))
      throw new SyntaxError(`Cannot parse /proc/net/dev line "${line}"`);
    const at = (index: number): number => values[index] ?? 0;
    interfaces.set(name, {
      rxBytes: at(0),
      rxPackets: at(1),
      rxErrors: at(2),
      rxDropped: at(3),
      txBytes: at(8),
      txPackets: at(9),
      txErrors: at(10),
      txDropped: at(11),
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
