import { join } from 'node:path';
import * as v from 'valibot';
import { httpOptions } from '../net/http-options.ts';
import { isLocalUrl } from '../net/http-url.ts';
import { openFileOutbox, type FileOutbox } from '../outbox/file-outbox.ts';
import { pathSchema } from '../schema/os-values.ts';
import type { SinkDeps } from './sink.ts';

const positive = (fallback: number) => v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), fallback);

/** The options every sink that pushes through a disk outbox shares (InfluxDB, remote write), with its defaults. */
export function pushOptions(unit: 'points' | 'samples', defaults: { batchSize: number; maxPoints: number }) {
  return {
    batch_size: v.pipe(positive(defaults.batchSize), v.description(`${capitalized(unit)} per request at most`)),
    max_points: v.pipe(
      positive(defaults.maxPoints),
      v.description(`${capitalized(unit)} the outbox holds; the oldest go first`),
    ),
    max_bytes: v.pipe(positive(256 * 1024 * 1024), v.description('Bytes the outbox holds on disk')),
    timeout_seconds: httpOptions.timeout_seconds,
    ca_file: httpOptions.ca_file,
    allow_insecure_http: v.pipe(
      v.optional(v.boolean(), false),
      v.description(`Allow http:// to a host other than loopback (${unit} and credentials travel in clear)`),
    ),
    outbox_dir: v.pipe(
      v.optional(pathSchema),
      v.description(`Where ${unit} wait for delivery; default $XDG_STATE_HOME/argus/outbox/<sink name>`),
    ),
  };
}

const capitalized = (word: string): string => word[0]?.toUpperCase() + word.slice(1);

/** Plain http only to this host unless the user said otherwise: data and credentials would travel in clear. */
export function insecureUrlProblem(
  options: { url: string; allow_insecure_http: boolean },
  receiver: string,
): { key: string; message: string } | undefined {
  if (!options.url.toLowerCase().startsWith('http:') || options.allow_insecure_http || isLocalUrl(options.url))
    return undefined;
  return {
    key: 'url',
    message: `must be https:// unless ${receiver} is on this host; set allow_insecure_http: true to send in clear`,
  };
}

/** The sink's outbox: its own directory under the state dir, by sink name, unless outbox_dir says where. */
export function openSinkOutbox(
  options: { outbox_dir?: string | undefined; max_points: number; max_bytes: number },
  deps: SinkDeps,
): FileOutbox<string> {
  return openFileOutbox<string>(
    options.outbox_dir ?? join(deps.stateDir, 'outbox', deps.label.replace(/[^\w.-]/g, '_')),
    { maxItems: options.max_points, maxBytes: options.max_bytes },
  );
}
