import * as v from 'valibot';
import { isHostName, parseIPv4 } from './listen-address.ts';

const IPV6 = /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$/;

/** A server to connect to: a host name, an IPv4 address or a bare IPv6 address (no brackets, no port). */
export const hostSchema = v.pipe(
  v.string(),
  v.check(
    (text) => isHostName(text) || parseIPv4(text) !== undefined || (IPV6.test(text) && !text.includes('%')),
    'must be a host name or an IP address, without a port or brackets (e.g. "smtp.example.org" or "192.0.2.1")',
  ),
);
