import * as v from 'valibot';
import { isLoopback } from './listen-address.ts';

/** What is wrong with a URL, in words a config error can show; undefined when it is a usable http(s) URL. */
export function httpUrlProblem(text: string): string | undefined {
  if (text.trim() === '') return 'must be a URL such as "https://example.org/hook" (got an empty string)';
  if (text !== text.trim()) return 'must not start or end with spaces';
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(text);
  if (!scheme) return 'must start with http:// or https://';
  const protocol = scheme[1]?.toLowerCase();
  if (protocol !== 'http' && protocol !== 'https') return `must start with http:// or https:// (got "${protocol}://")`;
  // The authority is what lies between "//" and the first "/", "?" or "#"; user info ends at its last "@".
  const rest = text.slice(scheme[0].length);
  const authority = rest.slice(0, rest.search(/[/?#]|$/));
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostPort === '' || hostPort.startsWith(':')) return 'has no host';
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) return 'has an IPv6 address without its closing "]"';
    const address = hostPort.slice(1, close);
    // WHATWG URLs (Node's URL, fetch) refuse zone ids; http.request could not be given one either.
    if (address.includes('%'))
      return `cannot hold an IPv6 zone id ("${address.slice(address.indexOf('%'))}"): use a global address or a host name`;
    if (!/^[0-9a-fA-F:.]+$/.test(address) || !address.includes(':')) return `has "[${address}]", not an IPv6 address`;
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return 'has characters after the "]" of its IPv6 address';
  } else if (hostPort.includes('[') || hostPort.includes(']')) return 'has "[" or "]" outside an IPv6 address';
  const portText = /:([^:\]]*)$/.exec(hostPort)?.[1];
  if (portText !== undefined && portText !== '') {
    if (!/^\d+$/.test(portText)) return `has port "${portText}", which is not a number`;
    const port = Number(portText);
    if (port < 1 || port > 65535) return `has port ${port}: a port is 1-65535`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a valid URL';
  }
  if (url.hostname === '') return 'has no host';
  return undefined;
}

/** A URL an HTTP client of Argus posts to: http(s), a host, a port in range; kept as the text the user wrote. */
export const httpUrlSchema = v.pipe(
  v.string(),
  v.rawCheck<string>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = httpUrlProblem(dataset.value);
    if (problem) addIssue({ message: problem });
  }),
);

/** The URL's host without IPv6 brackets. */
export const urlHost = (url: string): string => new URL(url).hostname.replace(/^\[|\]$/g, '');

/** Whether a URL stays on this machine: a loopback address or "localhost" (RFC 6761 keeps it local). */
export const isLocalUrl = (url: string): boolean => {
  const host = urlHost(url);
  return isLoopback(host) || host === 'localhost';
};
