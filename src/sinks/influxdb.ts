import * as v from 'valibot';
import { httpUrlSchema } from '../net/http-url.ts';
import { insecureUrlProblem, openSinkOutbox, pushOptions } from './push-options.ts';
import { batchToLines } from './line-protocol.ts';
import { createInfluxSender, type InfluxTarget } from './influxdb-sender.ts';
import { pushStats } from './outbox-sender.ts';
import { defineSink } from './sink.ts';

export const influxdbSink = defineSink({
  description: 'Line protocol to InfluxDB 1.x (/write) or 2.x (/api/v2/write), batched, gzipped, through a disk outbox',
  options: v.strictObject({
    url: v.pipe(httpUrlSchema, v.description('Base URL of InfluxDB, e.g. https://influx:8086')),
    database: v.pipe(v.optional(v.pipe(v.string(), v.minLength(1))), v.description('1.x: the database')),
    retention_policy: v.pipe(v.optional(v.string()), v.description('1.x: the retention policy')),
    username: v.pipe(v.optional(v.string()), v.description('1.x: user (basic auth)')),
    password: v.pipe(v.optional(v.string()), v.description('1.x: password')),
    org: v.pipe(v.optional(v.pipe(v.string(), v.minLength(1))), v.description('2.x: the organization')),
    bucket: v.pipe(v.optional(v.pipe(v.string(), v.minLength(1))), v.description('2.x: the bucket')),
    token: v.pipe(v.optional(v.string()), v.description('2.x: an API token with write access to the bucket')),
    measurement_prefix: v.pipe(v.optional(v.string(), 'argus_'), v.description('Measurement = prefix + check name')),
    ...pushOptions('points', { batchSize: 5000, maxPoints: 1_000_000 }),
  }),
  validate: (options) => {
    if ((options.database === undefined) === (options.bucket === undefined))
      return { key: 'database', message: 'set either database (InfluxDB 1.x) or org and bucket (2.x), not both' };
    if (options.bucket !== undefined && options.org === undefined)
      return { key: 'org', message: 'InfluxDB 2.x needs org with bucket' };
    return insecureUrlProblem(options, 'InfluxDB');
  },
  create: (options, deps) => {
    const outbox = openSinkOutbox(options, deps);
    const target: InfluxTarget =
      options.bucket !== undefined
        ? { version: 2, url: options.url, org: options.org ?? '', bucket: options.bucket, token: options.token }
        : {
            version: 1,
            url: options.url,
            database: options.database ?? '',
            retentionPolicy: options.retention_policy,
            username: options.username,
            password: options.password,
          };
    const sender = createInfluxSender({
      outbox,
      target,
      batchSize: options.batch_size,
      timeoutMs: options.timeout_seconds * 1000,
      caFile: options.ca_file,
      logger: deps.logger.child(`sink.${deps.label}`),
    });
    return {
      write(batch) {
        const lines = batchToLines(batch, options.measurement_prefix);
        if (lines.length === 0) return;
        // On disk before anything else: a crash or restart from here on resends rather than loses.
        outbox.enqueue(lines.join('\n'), Date.now() / 1000, lines.length);
        sender.wake();
      },
      close: () => sender.stop(),
      stats: () => pushStats(sender, outbox),
    };
  },
});
