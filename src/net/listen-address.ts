// Plain patterns instead of node:net's isIP: the config schema uses these, and every command loads the schema;
// node:net costs ~2.5 ms to load and nothing else in a one-shot run needs it.
const IPV6 = /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$/;
const HOST_NAME =
  /^(?=.{1,253}\.?$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;

/** Outside Prometheus' exporter range 9100-9999, which is fully allocated; 19100 reads as "node_exporter's, plus one". */
export const DEFAULT_PORT = 19100;
export const DEFAULT_LISTEN = `127.0.0.1:${DEFAULT_PORT}`;

export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * The four bytes of an IPv4 address in any form inet_aton() takes with decimal parts ("127.0.0.1", "127.1",
 * "127.0.1", "2130706433"): getaddrinfo(), and so server.listen(), accepts all of them. Undefined otherwise.
 */
export function parseIPv4(text: string): number[] | undefined {
  if (!/^\d{1,10}(\.\d{1,10}){0,3}$/.test(text)) return undefined;
  const parts = text.split('.').map(Number);
  const last = parts.pop() as number;
  // The last part fills the bytes the others leave: "127.1" is 127.0.0.1.
  const lastBytes = 4 - parts.length;
  if (parts.some((part) => part > 255) || last >= 256 ** lastBytes) return undefined;
  const bytes = [...parts];
  for (let index = lastBytes - 1; index >= 0; index -= 1) bytes.push(Math.floor(last / 256 ** index) % 256);
  return bytes;
}

/** A name a resolver could look up: RFC 1123 labels, at most 253 characters. */
export const isHostName = (text: string): boolean => HOST_NAME.test(text) && !/^[\d.]+$/.test(text);

/** "127.0.0.1:19100", "[::1]:19100", "0.0.0.0:19100" or ":19100" (every address); undefined when malformed. */
export function parseListenAddress(text: string): ListenAddress | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  if (port > 65535) return undefined;
  if (match[1] !== undefined && !IPV6.test(host)) return undefined;
  if (host !== '' && match[1] === undefined && !parseIPv4(host) && !isHostName(host)) return undefined;
  return { host, port };
}

/**
 * Addresses that stay on the machine: 127.0.0.0/8 in any inet_aton form, ::1 (also written out, or IPv4-mapped),
 * and "localhost", which RFC 6761 reserves for loopback. The agent checks the address it really bound, too, so
 * a hosts file that sends "localhost" elsewhere is caught at start rather than trusted.
 */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost') return true;
  if (IPV6.test(name)) {
    const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name);
    if (mapped) return parseIPv4(mapped[1] ?? '')?.[0] === 127;
    return expandsToLoopback(name);
  }
  return parseIPv4(name)?.[0] === 127;
}

/** "::1", "0:0:0:0:0:0:0:1", "0::1": seven zero groups and a one, however they were shortened. */
function expandsToLoopback(name: string): boolean {
  const [head = '', tail] = name.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const written = [...groups(head), ...(tail === undefined ? [] : groups(tail))];
  if (tail === undefined && written.length !== 8) return false;
  if (written.length > 8) return false;
  const last = written.pop();
  return Number.parseInt(last ?? '', 16) === 1 && written.every((group) => Number.parseInt(group, 16) === 0);
}

export const formatListenAddress = ({ host, port }: ListenAddress): string =>
  `${host.includes(':') ? `[${host}]` : host}:${port}`;
