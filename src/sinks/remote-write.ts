import { hostname } from 'node:os';
import * as v from 'valibot';
import { httpUrlSchema } from '../net/http-url.ts';
import { postBody } from '../net/http-post.ts';
import { insecureUrlProblem, openSinkOutbox, pushOptions } from './push-options.ts';
import { createOutboxSender, pushStats } from './outbox-sender.ts';
import { encodeWriteRequest, groupSeries, parseSampleLine, type ParsedSample } from './remote-write-encode.ts';
import { defineSink } from './sink.ts';
import type * as Snappy from 'snappyjs';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

// snappyjs is loaded with the first request: only a configured remote_write sink compresses anything.
let snappy: typeof Snappy | undefined;
const compress = async (bytes: Buffer): Promise<Buffer> => (snappy ??= await import('snappyjs')).compress(bytes);

export const remoteWriteSink = defineSink({
  description:
    'Prometheus remote write 1.0 (protobuf + snappy) of what /metrics serves, each cycle, through a disk outbox: ' +
    'for hosts Prometheus cannot scrape',
  options: v.strictObject({
    url: v.pipe(httpUrlSchema, v.description('The receiver, e.g. https://prometheus:9090/api/v1/write')),
    labels: v.pipe(
      v.optional(
        v.record(
          v.pipe(v.string(), v.regex(LABEL_NAME, 'must be a Prometheus label name')),
          v.pipe(v.string(), v.minLength(1)),
        ),
        {},
      ),
      v.description('Labels every series gets (a scrape adds job and instance); default job="argus", instance=host'),
    ),
    username: v.pipe(v.optional(v.string()), v.description('Basic auth user')),
    password: v.pipe(v.optional(v.string()), v.description('Basic auth password')),
    bearer_token: v.pipe(v.optional(v.string()), v.description('Sent as "Authorization: Bearer <token>"')),
    // Whole cycles go in a request: batch_size is reached at a cycle's end, and one cycle always goes.
    ...pushOptions('samples', { batchSize: 10_000, maxPoints: 2_000_000 }),
  }),
  validate: (options) => {
    if (options.bearer_token !== undefined && options.username !== undefined)
      return { key: 'bearer_token', message: 'set either bearer_token or username and password, not both' };
    return insecureUrlProblem(options, 'the receiver');
  },
  create: (options, deps) => {
    const { scrape } = deps;
    const log = deps.logger.child(`sink.${deps.label}`);
    const outbox = openSinkOutbox(options, deps);
    const external = { job: 'argus', instance: hostname(), ...options.labels };
    const url = new URL(options.url);
    const headers: Record<string, string> = {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
      'user-agent': 'argus-monitor',
    };
    if (options.bearer_token !== undefined) headers.authorization = `Bearer ${options.bearer_token}`;
    if (options.username !== undefined)
      headers.authorization = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
    let badLineSeen = false;
    const sender = createOutboxSender({
      outbox,
      batchSize: options.batch_size,
      logger: log,
      receiver: {
        name: 'remote write',
        shown: url.origin,
        send: async (lines) => {
          const samples: ParsedSample[] = [];
          for (const line of lines) {
            try {
              const sample = parseSampleLine(line);
              if (sample) samples.push(sample);
            } catch (error) {
              // A line that cannot be read (a damaged outbox file) must not hold the queue: it is left out.
              if (!badLineSeen) log.warning(`left out a sample line: ${(error as Error).message}`);
              badLineSeen = true;
            }
          }
          const body = await compress(encodeWriteRequest(groupSeries(samples, external)));
          return postBody(url, body, {
            headers,
            timeoutMs: options.timeout_seconds * 1000,
            caFile: options.ca_file,
          });
        },
      },
    });
    let warned = false;
    return {
      async write(batch) {
        if (!scrape) {
          if (!warned) log.warning('remote_write sends what /metrics serves, and this command serves none');
          warned = true;
          return;
        }
        const text = await scrape(batch);
        // Each sample gets the cycle's time, as a scrape at that moment would; comments and blank lines go.
        const stamp = ` ${Date.parse(batch.timestamp)}`;
        const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
        if (lines.length === 0) return;
        // On disk before anything else: a crash or restart from here on resends rather than loses.
        outbox.enqueue(lines.map((line) => line + stamp).join('\n'), Date.now() / 1000, lines.length);
        sender.wake();
      },
      close: () => sender.stop(),
      stats: () => pushStats(sender, outbox),
    };
  },
});
