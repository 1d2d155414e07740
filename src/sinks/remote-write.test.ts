import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as v from 'valibot';
import { eventually } from '../../test/helpers/eventually.ts';
import { uncompress } from 'snappyjs';
import { startReceiver } from '../../test/helpers/loopback-receiver.ts';
import { dotPath, validateConfig } from '../config/validate.ts';
import { createLogRouter } from '../log/logger.ts';
import type { Batch } from '../result.ts';
import { encodeWriteRequest, groupSeries, parseSampleLine } from './remote-write-encode.ts';
import { remoteWriteSink } from './remote-write.ts';

/** A protobuf reader for the test: field number, wire type and value (bytes for LEN, number otherwise). */
function fields(bytes: Uint8Array): [number, number, Uint8Array | number][] {
  const out: [number, number, Uint8Array | number][] = [];
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[at++] ?? 0;
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const tag = varint();
    const [field, wire] = [tag >> 3, tag & 7];
    if (wire === 2) {
      const length = varint();
      out.push([field, wire, bytes.subarray(at, at + length)]);
      at += length;
    } else if (wire === 1) {
      out.push([field, wire, Buffer.from(bytes.subarray(at, at + 8)).readDoubleLE(0)]);
      at += 8;
    } else out.push([field, wire, varint()]);
  }
  return out;
}

/** WriteRequest → [{labels, samples}], read back by the spec's field numbers. */
function decodeWriteRequest(bytes: Uint8Array) {
  const text = (value: Uint8Array | number) => Buffer.from(value as Uint8Array).toString('utf8');
  return fields(bytes).map(([field, , series]) => {
    assert.equal(field, 1, 'WriteRequest.timeseries = 1');
    const labels: Record<string, string> = {};
    const samples: [number, number][] = [];
    for (const [inner, , value] of fields(series as Uint8Array)) {
      const parts = Object.fromEntries(fields(value as Uint8Array).map(([number, , part]) => [number, part]));
      if (inner === 1) labels[text(parts[1] ?? 0)] = text(parts[2] ?? 0);
      else samples.push([parts[1] as number, parts[2] as number]);
    }
    return { labels, labelOrder: Object.keys(labels), samples };
  });
}

test('parseSampleLine() reads names, escaped label values, special values and timestamps', () => {
  assert.equal(parseSampleLine('# HELP x y'), undefined);
  assert.equal(parseSampleLine(''), undefined);
  assert.deepEqual(parseSampleLine('node_load1 0.5'), {
    series: 'node_load1',
    name: 'node_load1',
    labels: [],
    value: 0.5,
    timestampMs: undefined,
  });
  const parsed = parseSampleLine('argus_x{target="/a \\"b\\"\\\\c\\nd",check="disk"} +Inf 1795780800000');
  assert.deepEqual(parsed?.labels, [
    ['target', '/a "b"\\c\nd'],
    ['check', 'disk'],
  ]);
  assert.equal(parsed?.value, Infinity);
  assert.equal(parsed?.timestampMs, 1795780800000);
  assert.equal(parsed?.series, 'argus_x{target="/a \\"b\\"\\\\c\\nd",check="disk"}');
  assert.ok(Number.isNaN(parseSampleLine('a NaN')?.value));
  assert.equal(parseSampleLine('a{} -Inf')?.value, -Infinity);
  assert.throws(() => parseSampleLine('a{b=1} 2'), /bad label/);
  assert.throws(() => parseSampleLine('a{b="1} 2'), /unterminated/);
  assert.throws(() => parseSampleLine('a x'), /bad sample value/);
  assert.throws(() => parseSampleLine('9a 1'), /not a sample line/);
});

test('groupSeries() + encodeWriteRequest(): one TimeSeries per series, labels sorted, samples in time order', () => {
  const lines = [
    'node_load1 0.5 2000',
    'argus_check_status{check="disk",target="/"} 1 1000',
    'node_load1 0.25 1000',
    'node_uname_info{sysname="Linux",domainname=""} 1 1000',
    'argus_check_status{check="disk",target="/",job="mine"} 2 1000',
  ];
  const series = groupSeries(
    lines.map((line) => parseSampleLine(line)).filter((sample) => sample !== undefined),
    { job: 'argus', instance: 'web1' },
  );
  const decoded = decodeWriteRequest(encodeWriteRequest(series));
  assert.deepEqual(decoded, [
    {
      labels: { __name__: 'node_load1', instance: 'web1', job: 'argus' },
      labelOrder: ['__name__', 'instance', 'job'],
      samples: [
        [0.25, 1000],
        [0.5, 2000],
      ],
    },
    {
      labels: { __name__: 'argus_check_status', check: 'disk', instance: 'web1', job: 'argus', target: '/' },
      labelOrder: ['__name__', 'check', 'instance', 'job', 'target'],
      samples: [[1, 1000]],
    },
    {
      // An empty label value is an absent label (the spec forbids empty values).
      labels: { __name__: 'node_uname_info', instance: 'web1', job: 'argus', sysname: 'Linux' },
      labelOrder: ['__name__', 'instance', 'job', 'sysname'],
      samples: [[1, 1000]],
    },
    {
      // The series' own label wins over the sink's (Prometheus' external_labels behave so).
      labels: { __name__: 'argus_check_status', check: 'disk', instance: 'web1', job: 'mine', target: '/' },
      labelOrder: ['__name__', 'check', 'instance', 'job', 'target'],
      samples: [[2, 1000]],
    },
  ]);
  // Timestamps past 2^32 and values of every kind survive the varint and double encodings.
  const big = decodeWriteRequest(
    encodeWriteRequest([
      {
        labels: [['__name__', 'x']],
        samples: [
          [-1.5e300, 1795780800123],
          [Number.MAX_SAFE_INTEGER, 0],
        ],
      },
    ]),
  );
  assert.deepEqual(big[0]?.samples, [
    [-1.5e300, 1795780800123],
    [Number.MAX_SAFE_INTEGER, 0],
  ]);
});

test('the remote_write options: a URL that is https or local, one kind of credentials, label names', () => {
  const problems = (sink: Record<string, unknown>): string[] => {
    const checked = validateConfig({ sinks: [{ type: 'remote_write', ...sink }] });
    return checked.ok ? [] : checked.issues.map((issue) => `${dotPath(issue.path)}: ${issue.message}`);
  };
  assert.deepEqual(problems({ url: 'http://127.0.0.1:9090/api/v1/write' }), []);
  assert.deepEqual(problems({ url: 'https://prom.example/api/v1/write', bearer_token: 't' }), []);
  assert.match(problems({ url: 'http://prom.example:9090/api/v1/write' }).join('\n'), /sinks\[0\]\.url: must be https/);
  assert.deepEqual(problems({ url: 'http://prom.example/w', allow_insecure_http: true }), []);
  assert.match(
    problems({ url: 'https://p/w', bearer_token: 't', username: 'u', password: 'p' }).join('\n'),
    /sinks\[0\]\.bearer_token: set either bearer_token or username/,
  );
  assert.match(problems({ url: 'https://p/w', labels: { 'a-b': 'x' } }).join('\n'), /Prometheus label name/);
  assert.match(problems({ url: 'https://[::1/w' }).join('\n'), /sinks\[0\]\.url: .*IPv6/);
});

/** The sink's options as the config schema fills them in: the given fields, defaults for the rest. */
const optionsOf = (fields: Record<string, unknown>) => v.parse(remoteWriteSink.options, fields);

const quiet = createLogRouter({ level: 'ERROR', outputs: [] }).logger;

test('the remote_write sink posts snappy protobuf with the protocol headers, stamped with the cycle time', async () => {
  const receiver = await startReceiver({ answers: [{ status: 503, headers: { 'retry-after': '0' } }] });
  const dir = mkdtempSync(join(tmpdir(), 'argus-rw-'));
  const batch: Batch = { timestamp: '2026-12-05T10:00:00.000Z', host: 'vm', results: [] };
  const sink = remoteWriteSink.create(
    optionsOf({
      url: `${receiver.url}/api/v1/write`,
      labels: { instance: 'web1' },
      username: 'u',
      password: 'p',
      outbox_dir: join(dir, 'outbox'),
    }),
    {
      label: 'rw',
      logger: quiet,
      stateDir: dir,
      scrape: (scraped) => {
        assert.equal(scraped, batch);
        return Promise.resolve('# HELP node_load1 x\n# TYPE node_load1 gauge\nnode_load1 0.5\nargus_up{a="b"} 1\n');
      },
    },
  );
  try {
    await sink.write(batch);
    // The first answer is a 503: the samples stay queued and go again.
    await eventually(() => receiver.received.length >= 2, 'a retry after the 503');
    const [first, second] = receiver.received;
    assert.equal(second?.headers['content-type'], 'application/x-protobuf');
    assert.equal(second?.headers['content-encoding'], 'snappy');
    assert.equal(second?.headers['x-prometheus-remote-write-version'], '0.1.0');
    assert.equal(second?.headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
    assert.deepEqual(first?.raw, second?.raw, 'the retry sends the same samples');
    const decoded = decodeWriteRequest(uncompress(second?.raw ?? Buffer.alloc(0)));
    const at = Date.parse(batch.timestamp);
    assert.deepEqual(
      decoded.map((series) => [series.labels, series.samples]),
      [
        [{ __name__: 'node_load1', instance: 'web1', job: 'argus' }, [[0.5, at]]],
        [{ __name__: 'argus_up', a: 'b', instance: 'web1', job: 'argus' }, [[1, at]]],
      ],
    );
    await eventually(() => sink.stats?.().queuedPoints === 0, 'the outbox drained');
    assert.deepEqual(sink.stats?.(), { sentPoints: 2, rejectedPoints: 0, droppedPoints: 0, queuedPoints: 0 });
    assert.deepEqual(readdirSync(join(dir, 'outbox')), [], 'the outbox is empty once delivered');
  } finally {
    await sink.close?.();
    await receiver.close();
  }
});

test('without a scrape (a command that serves no /metrics) the sink sends nothing and says so once', async () => {
  const lines: string[] = [];
  const router = createLogRouter({ level: 'WARNING', outputs: [{ write: (line: string) => lines.push(line) }] });
  const dir = mkdtempSync(join(tmpdir(), 'argus-rw-'));
  const sink = remoteWriteSink.create(optionsOf({ url: 'http://127.0.0.1:9/api/v1/write' }), {
    label: 'rw',
    logger: router.logger,
    stateDir: dir,
  });
  const batch: Batch = { timestamp: '2026-12-05T10:00:00.000Z', host: 'vm', results: [] };
  await sink.write(batch);
  await sink.write(batch);
  await sink.close?.();
  assert.equal(lines.filter((line) => line.includes('remote_write sends what /metrics serves')).length, 1);
  assert.equal(sink.stats?.().queuedPoints, 0);
});

test('a sample line that cannot be read is left out, and the rest of its batch is delivered', async () => {
  const receiver = await startReceiver();
  const dir = mkdtempSync(join(tmpdir(), 'argus-rw-'));
  const sink = remoteWriteSink.create(
    optionsOf({ url: `${receiver.url}/api/v1/write`, outbox_dir: join(dir, 'outbox') }),
    {
      label: 'rw',
      logger: quiet,
      stateDir: dir,
      scrape: () => Promise.resolve('good 1\nbad{x=1} 2\nalso_good 3\n'),
    },
  );
  try {
    await sink.write({ timestamp: '2026-12-05T10:00:00.000Z', host: 'vm', results: [] });
    await eventually(() => receiver.received.length >= 1, 'the batch delivered');
    const names = decodeWriteRequest(uncompress(receiver.received[0]!.raw)).map((series) => series.labels.__name__);
    assert.deepEqual(names, ['good', 'also_good']);
  } finally {
    await sink.close?.();
    await receiver.close();
  }
});
