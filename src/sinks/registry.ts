import { csvSink } from './csv.ts';
import { influxdbSink } from './influxdb.ts';
import { remoteWriteSink } from './remote-write.ts';
import type { SinkDefinition } from './sink.ts';

/** The sinks users can configure under `sinks:`; key = `type` in the config = file stem. */
export const sinks = {
  csv: csvSink,
  influxdb: influxdbSink,
  remote_write: remoteWriteSink,
} satisfies Record<string, SinkDefinition>;

export type SinkType = keyof typeof sinks;

export const sinkTypes = Object.keys(sinks) as SinkType[];
