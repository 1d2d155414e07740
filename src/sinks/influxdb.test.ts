import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import * as v from 'valibot';
import { startReceiver, type Answer } from '../../test/helpers/loopback-receiver.ts';
import { dotPath, validateConfig } from '../config/validate.ts';
import { createLogRouter } from '../log/logger.ts';
import { openFileOutbox } from '../outbox/file-outbox.ts';
import type { Batch, CheckResult } from '../result.ts';
import { createInfluxSender, partialWriteDropped, writeRequest } from './influxdb-sender.ts';
import { influxdbSink } from './influxdb.ts';
import { resultToLine } from './line-protocol.ts';

const result = (overrides: Partial<CheckResult> = {}): CheckResult => ({
  name: 'disk',
  instance: '/',
  status: 'OK',
  metrics: { used_percent: 21.5 },
  details: 'd',
  timestamp: '2026-11-27T12:00:00.000Z',
  host: 'vm',
  durationMs: 1,
  ...overrides,
});

const batchAt = (second: number): Batch => ({
  timestamp: '',
  host: 'vm',
  results: [
    result({ timestamp: new Date(Date.UTC(2026, 10, 27, 12, 0, second)).toISOString(), metrics: { n: second } }),
  ],
});

test('resultToLine() escapes tags and keys, sorts tags, types status_code as an integer, skips NaN', () => {
  const line = resultToLine(
    result({
      instance: '/srv/data store,x=1\nb',
      labels: { fstype: 'ext4', device: '/dev/vda' },
      status: 'WARN',
      metrics: { used_percent: 81.5, 'odd key': 2, bad: NaN, huge: 1e21 },
      host: 'vm 1',
    }),
    'argus_',
  );
  assert.equal(
    line,
    'argus_disk,device=/dev/vda,fstype=ext4,host=vm\\ 1,instance=/srv/data\\ store\\,x\\=1\\nb ' +
      'status="WARN",status_code=1i,used_percent=81.5,odd\\ key=2,huge=1e+21 1795780800000',
  );
  assert.equal(
    resultToLine(
      {
        name: 'disk',
        status: 'OK',
        metrics: {},
        details: '',
        timestamp: '2026-11-27T12:00:00.000Z',
        host: 'vm',
        durationMs: 1,
      },
      '',
    ),
    'disk,host=vm status="OK",status_code=0i 1795780800000',
  );
});

test('resultToLine() drops trailing backslashes, which line protocol cannot carry before a separator', () => {
  const line = resultToLine(result({ instance: 'C:\\', labels: { path: '\\\\', mount: 'a\\b' }, metrics: {} }), '');
  assert.equal(line, 'disk,host=vm,instance=C:,mount=a\\b status="OK",status_code=0i 1795780800000');
});

test('writeRequest() addresses 1.x and 2.x and keeps credentials out of the URL', () => {
  const v1 = writeRequest({
    version: 1,
    url: 'http://influx:8086',
    database: 'argus',
    retentionPolicy: 'week',
    username: 'u',
    password: 'p',
  });
  assert.equal(v1.url.href, 'http://influx:8086/write?db=argus&rp=week&precision=ms');
  assert.equal(v1.headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
  const v2 = writeRequest({
    version: 2,
    url: 'https://influx.example/prefix/',
    org: 'ops',
    bucket: 'hosts',
    token: 't0k',
  });
  assert.equal(v2.url.href, 'https://influx.example/prefix/api/v2/write?org=ops&bucket=hosts&precision=ms');
  assert.equal(v2.headers.authorization, 'Token t0k');
  assert.ok(!v2.url.href.includes('t0k'));
});

test('influxdb sink config needs one API, and https unless the server is on this host', () => {
  const problems = (sink: Record<string, unknown>) => {
    const checked = validateConfig({ sinks: [{ type: 'influxdb', ...sink }] });
    return checked.ok ? [] : checked.issues.map((issue) => `${dotPath(issue.path)}: ${issue.message}`);
  };
  assert.deepEqual(problems({ url: 'http://127.0.0.1:8086', database: 'argus' }), []);
  assert.deepEqual(problems({ url: 'https://influx.example', org: 'o', bucket: 'b', token: 'x' }), []);
  assert.match(problems({ url: 'https://influx.example' }).join('\n'), /sinks\[0\]\.database: set either database/);
  assert.match(problems({ url: 'https://i', database: 'a', bucket: 'b', org: 'o' }).join('\n'), /not both/);
  assert.match(problems({ url: 'https://i', bucket: 'b' }).join('\n'), /sinks\[0\]\.org: InfluxDB 2\.x needs org/);
  assert.match(
    problems({ url: 'http://influx.example:8086', database: 'a' }).join('\n'),
    /sinks\[0\]\.url: must be https/,
  );
  assert.deepEqual(problems({ url: 'http://influx.example:8086', database: 'a', allow_insecure_http: true }), []);
});

const quiet = createLogRouter({ level: 'ERROR', outputs: [] }).logger;

async function sinkAgainst(
  answers: Answer[],
  options: Record<string, unknown> = {},
  dir = mkdtempSync(join(tmpdir(), 'argus-influx-')),
) {
  const receiver = await startReceiver({ answers });
  const sink = influxdbSink.create(
    v.parse(influxdbSink.options, {
      url: receiver.url,
      org: 'ops',
      bucket: 'hosts',
      token: 'secret-token',
      ...options,
    }),
    { label: 'influx', logger: quiet, stateDir: dir },
  );
  const lines = () => receiver.received.map((request) => gunzipSync(request.raw).toString('utf8'));
  return { receiver, sink, lines, dir };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    assert.ok(Date.now() - started < 10_000, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('influxdb sink posts gzipped line protocol to /api/v2/write with the token', async () => {
  const { receiver, sink, lines } = await sinkAgainst([]);
  await sink.write(batchAt(1));
  await until(() => receiver.received.length === 1, 'the write');
  const [request] = receiver.received;
  assert.equal(request?.method, 'POST');
  assert.equal(request?.path, '/api/v2/write?org=ops&bucket=hosts&precision=ms');
  assert.equal(request?.headers.authorization, 'Token secret-token');
  assert.equal(request?.headers['content-encoding'], 'gzip');
  assert.equal(lines()[0], 'argus_disk,host=vm,instance=/ status="OK",status_code=0i,n=1 1795780801000\n');
  await sink.close?.();
  await receiver.close();
});

test('influxdb sink retries 503 after Retry-After, drops what a 400 refuses, and keeps order', async () => {
  const { receiver, sink, lines } = await sinkAgainst([
    { status: 503, headers: { 'retry-after': '1' } },
    { status: 204 },
    { status: 400 },
    { status: 204 },
  ]);
  await sink.write(batchAt(1));
  await until(() => receiver.received.length === 1, 'the first attempt');
  await sink.write(batchAt(2));
  await until(() => receiver.received.length === 2, 'the retry');
  const [first, retry] = receiver.received;
  assert.ok((retry?.at ?? 0) - (first?.at ?? 0) >= 900, 'waited for Retry-After');
  assert.match(
    lines()[1] ?? '',
    /^[^\n]*n=1 \d+\n[^\n]*n=2 \d+\n$/,
    'the retry carries everything queued since, in order',
  );
  await sink.write(batchAt(3));
  await until(() => receiver.received.length === 3, 'the batch the server refuses');
  await sink.write(batchAt(4));
  await until(() => receiver.received.length === 4, 'the batch after the 400');
  assert.match(lines()[3] ?? '', /^[^\n]*n=4 \d+\n$/, 'the refused point is gone; the queue moved on');
  await sink.close?.();
  await receiver.close();
});

test('influxdb sink splits a batch the server finds too large (413) down to single points', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-influx-'));
  // Four points queued while the server is away, then: 413 for 4, 413 for the first 2, then accepted.
  const outbox = openFileOutbox<string>(join(dir, 'outbox', 'influx'), { maxItems: 100, maxBytes: 1e6 });
  for (const second of [1, 2, 3, 4]) outbox.enqueue(resultToLine(batchAt(second).results[0]!, 'argus_'), 0, 1);
  const receiver = await startReceiver({ answers: [{ status: 413 }, { status: 413 }] });
  const sender = createInfluxSender({
    outbox,
    target: { version: 1, url: receiver.url, database: 'argus' },
    batchSize: 100,
    timeoutMs: 2000,
    logger: quiet,
  });
  await until(() => outbox.size === 0, 'the outbox to drain');
  const sizes = receiver.received.map((request) => gunzipSync(request.raw).toString().trim().split('\n').length);
  assert.deepEqual(sizes, [4, 2, 1, 1, 2]);
  assert.equal(sender.stats().sentPoints, 4);
  await sender.stop();
  await receiver.close();
});

test('influxdb sink keeps points on disk while the server is down and sends them first after a restart', async () => {
  const down = await startReceiver();
  const port = down.port;
  await down.close();
  const dir = mkdtempSync(join(tmpdir(), 'argus-influx-'));
  const options = v.parse(influxdbSink.options, {
    url: `http://127.0.0.1:${port}`,
    database: 'argus',
    timeout_seconds: 1,
  });
  const first = influxdbSink.create(options, { label: 'influx', logger: quiet, stateDir: dir });
  for (const second of [1, 2, 3]) await first.write(batchAt(second));
  await first.close?.();
  const back = await startReceiver({ port });
  const second = influxdbSink.create(options, { label: 'influx', logger: quiet, stateDir: dir });
  await second.write(batchAt(4));
  await until(
    () => back.received.flatMap((request) => gunzipSync(request.raw).toString().trim().split('\n')).length === 4,
    'all points',
  );
  const sent = back.received.flatMap((request) => gunzipSync(request.raw).toString().trim().split('\n'));
  assert.deepEqual(
    sent.map((line) => /n=(\d+)/.exec(line)?.[1]),
    ['1', '2', '3', '4'],
  );
  await second.close?.();
  await back.close();
});

test('influxdb sink drops the oldest points when the outbox is full, and counts them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-influx-'));
  const outbox = openFileOutbox<string>(dir, { maxItems: 5, maxBytes: 1e6 });
  for (let item = 0; item < 4; item += 1) outbox.enqueue(`item ${item}`, 0, 2);
  assert.equal(outbox.weight, 4);
  assert.equal(outbox.droppedWeight, 4);
  assert.deepEqual(
    outbox.oldestUpTo(100).map((entry) => entry.payload),
    ['item 2', 'item 3'],
  );
  const reopened = openFileOutbox<string>(dir, { maxItems: 5, maxBytes: 1e6 });
  assert.equal(reopened.weight, 4, 'weights survive a restart in the file names');
});

test('partialWriteDropped() reads how many points a partial write refused, from 1.x and 2.x answers', () => {
  assert.equal(
    partialWriteDropped(
      '{"error":"partial write: field type conflict: input field \\"n\\" is type integer dropped=2"}',
    ),
    2,
  );
  assert.equal(
    partialWriteDropped(
      '{"code":"unprocessable entity","message":"partial write has occurred, errors encountered on line(s): dropped=1"}',
    ),
    1,
  );
  assert.equal(partialWriteDropped('{"error":"unable to parse \'bad line\': invalid field format"}'), undefined);
});

// The sender waited for work with a new abort listener every cycle and never removed it: from the 11th cycle on
// Node warned "11 abort listeners added to AbortSignal" (a leak as long as the agent ran).
test('influxdb sink adds no listener per cycle: 30 cycles raise no MaxListenersExceededWarning', async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning);
  process.on('warning', onWarning);
  const { receiver, sink } = await sinkAgainst([]);
  try {
    for (let cycle = 1; cycle <= 30; cycle += 1) {
      await sink.write(batchAt(cycle));
      await until(() => receiver.received.length === cycle, `cycle ${cycle}`);
    }
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      warnings.map((warning) => warning.name),
      [],
    );
  } finally {
    process.off('warning', onWarning);
    await sink.close?.();
    await receiver.close();
  }
});
