import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v from 'valibot';
import { httpUrlProblem, httpUrlSchema, isLocalUrl } from './http-url.ts';

// Each of these made `new URL()` throw inside a config rule before: exit 70 with a stack instead of 78.
const REFUSED: [string, string][] = [
  ['https://[::1', 'has an IPv6 address without its closing "]"'],
  ['https://127.0.0.1:99999/', 'has port 99999: a port is 1-65535'],
  ['https://127.0.0.1:0/', 'has port 0: a port is 1-65535'],
  ['', 'must be a URL such as "https://example.org/hook" (got an empty string)'],
  ['http://[fe80::1%eth0]:8086/', 'cannot hold an IPv6 zone id ("%eth0"): use a global address or a host name'],
  ['http://[fe80::1%25eth0]/', 'cannot hold an IPv6 zone id ("%25eth0"): use a global address or a host name'],
  ['ftp://example.org/', 'must start with http:// or https:// (got "ftp://")'],
  ['example.org/hook', 'must start with http:// or https://'],
  ['https://example.org:http/', 'has port "http", which is not a number'],
  ['https://[nope]/', 'has "[nope]", not an IPv6 address'],
  ['https://[::1]x/', 'has characters after the "]" of its IPv6 address'],
  ['https://exa]mple.org/', 'has "[" or "]" outside an IPv6 address'],
  [' https://example.org/', 'must not start or end with spaces'],
  ['https:///path', 'has no host'],
  ['https://exa mple.org/', 'is not a valid URL'],
];

test('httpUrlProblem() names what is wrong with each URL the hardening battery found', () => {
  for (const [url, problem] of REFUSED) assert.equal(httpUrlProblem(url), problem, url);
});

test('httpUrlProblem() accepts http(s) URLs with names, IPv4, IPv6, ports, paths and user info', () => {
  for (const url of [
    'https://hooks.slack.com/services/T/B/x',
    'http://127.0.0.1:8086',
    'https://[::1]:19100/hook?x=1#y',
    'https://[2001:db8::1]/',
    'HTTPS://Example.ORG:65535/',
    'https://user:secret@example.org/hook',
  ])
    assert.equal(httpUrlProblem(url), undefined, url);
});

test('httpUrlSchema reports the problem as a valibot issue and keeps the text as written', () => {
  const bad = v.safeParse(httpUrlSchema, 'https://[::1');
  assert.equal(bad.success, false);
  assert.equal(bad.issues?.[0]?.message, 'has an IPv6 address without its closing "]"');
  assert.equal(v.parse(httpUrlSchema, 'https://Example.org'), 'https://Example.org');
});

test('isLocalUrl() is true for loopback addresses and localhost only', () => {
  assert.ok(isLocalUrl('http://127.0.0.1:8086') && isLocalUrl('http://[::1]/') && isLocalUrl('http://localhost:1/'));
  assert.ok(!isLocalUrl('http://influx:8086') && !isLocalUrl('http://10.0.0.1/'));
});
