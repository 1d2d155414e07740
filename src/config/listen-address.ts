// Plain patterns instead of node:net's isIP: the config schema uses these, and every command loads the schema;
// node:net costs ~2.5 ms to load and nothing else in a one-shot run needs it.
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$/;

/** Outside Prometheus' exporter range 9100-9999, which is fully allocated; 19100 reads as "node_exporter's, plus one". */
export const DEFAULT_PORT = 19100;
export const DEFAULT_LISTEN = `127.0.0.1:${DEFAULT_PORT}`;

export interface ListenAddress {
  host: string;
  port: number;
}

/** "127.0.0.1:19100", "[::1]:19100", "0.0.0.0:19100" or ":19100" (every address); undefined when malformed. */
export function parseListenAddress(text: string): ListenAddress | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  if (port > 65535) return undefined;
  if (match[1] !== undefined && !IPV6.test(host)) return undefined;
  if (host !== '' && match[1] === undefined && !/^[a-zA-Z0-9.-]+$/.test(host)) return undefined;
  return { host, port };
}

/** Only these stay on the machine; a name ("localhost") could resolve elsewhere, so it counts as remote. */
export function isLoopback(host: string): boolean {
  if (host === '::1') return true;
  return IPV4.test(host) && host.startsWith('127.');
}

export const formatListenAddress = ({ host, port }: ListenAddress): string =>
  `${host.includes(':') ? `[${host}]` : host}:${port}`;
