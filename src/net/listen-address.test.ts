import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isHostName, isLoopback, parseIPv4, parseListenAddress } from './listen-address.ts';

test('parseListenAddress() reads the addresses server.listen takes', () => {
  assert.deepEqual(parseListenAddress('127.0.0.1:19100'), { host: '127.0.0.1', port: 19100 });
  assert.deepEqual(parseListenAddress('[::1]:9'), { host: '::1', port: 9 });
  assert.deepEqual(parseListenAddress(':19100'), { host: '', port: 19100 });
  assert.deepEqual(parseListenAddress('agent.example.org:80'), { host: 'agent.example.org', port: 80 });
  assert.deepEqual(parseListenAddress('localhost:19100'), { host: 'localhost', port: 19100 });
  assert.deepEqual(parseListenAddress('127.1:19100'), { host: '127.1', port: 19100 });
  for (const bad of ['127.0.0.1', '127.0.0.1:70000', '[nope]:1', 'a b:1', '[::1:1', '-bad-.example:1', '256.1.1.1:1'])
    assert.equal(parseListenAddress(bad), undefined, bad);
});

test('parseIPv4() takes every decimal form inet_aton() takes, as getaddrinfo() and listen() do', () => {
  assert.deepEqual(parseIPv4('127.0.0.1'), [127, 0, 0, 1]);
  assert.deepEqual(parseIPv4('127.1'), [127, 0, 0, 1]);
  assert.deepEqual(parseIPv4('127.0.1'), [127, 0, 0, 1]);
  assert.deepEqual(parseIPv4('10.65536'), [10, 1, 0, 0]);
  assert.deepEqual(parseIPv4('2130706433'), [127, 0, 0, 1]);
  for (const bad of ['256.0.0.1', '1.2.3.4.5', '127.16777216', '4294967296', 'a.b.c.d', '1..2', ''])
    assert.equal(parseIPv4(bad), undefined, bad);
});

test('isLoopback() knows 127/8 in any form, ::1 however written, IPv4-mapped loopback and localhost', () => {
  for (const host of [
    '127.0.0.1',
    '127.1.2.3',
    '127.1',
    '2130706433',
    '::1',
    '0:0:0:0:0:0:0:1',
    '0::1',
    '::ffff:127.0.0.1',
    'localhost',
    'LOCALHOST',
    'localhost.',
  ])
    assert.ok(isLoopback(host), host);
  for (const host of [
    '0.0.0.0',
    '',
    '127.0.0.256',
    '10.0.0.1',
    '::',
    '::2',
    '::ffff:10.0.0.1',
    'localhost.example.org',
    'example.org',
    '1::1',
  ])
    assert.ok(!isLoopback(host), host);
});

test('isHostName() takes RFC 1123 names and refuses addresses and junk', () => {
  assert.ok(isHostName('smtp.example.org') && isHostName('a') && isHostName('host-1.') && isHostName('1host'));
  for (const bad of ['', 'bad host', '-a', 'a-', 'a..b', '1.2.3.4', `${'a'.repeat(64)}.org`])
    assert.ok(!isHostName(bad), bad);
});
