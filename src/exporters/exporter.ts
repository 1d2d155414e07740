import type * as v from 'valibot';
import type { Timex } from '../collect/adjtimex.ts';
import type { FsStats, Host } from '../collect/host.ts';
import type { ExportedSample } from './series.ts';

export interface ExporterContext {
  host: Host;
  /**
   * statfs of a network or FUSE mount, out of process and bounded (a hung NFS server must not hang the scrape);
   * a string says why there is no answer.
   */
  probeMount: (path: string) => Promise<FsStats | string>;
  /** adjtimex(2), for the timex collector; absent where it cannot be read (tests on recorded trees). */
  adjtimex?: () => Promise<Timex>;
}

/** An exporter's options: a strict object whose every key has a default, under `exporters.<name>` in the config. */
export type ExporterOptionsSchema = v.StrictObjectSchema<v.ObjectEntries, undefined>;

/**
 * One of node_exporter's collectors: its series, under its names, labels, types and units, read from the host at
 * scrape time. The file stem is the collector's name, as node_exporter's `collector/<name>_linux.go`; its options
 * are node_exporter's `--collector.<name>.*` flags, spelled in snake case.
 * @example export const loadavgExporter = defineExporter({ description: '…', collect: ({ host }) => [...] });
 */
export interface Exporter<S extends ExporterOptionsSchema = ExporterOptionsSchema> {
  description: string;
  /** node_exporter's default for the collector: false for the ones it runs only when asked (`--collector.X`). */
  defaultEnabled?: boolean;
  options?: S;
  collect(context: ExporterContext, options: v.InferOutput<S>): ExportedSample[] | Promise<ExportedSample[]>;
}

/** An exporter with its options applied: what /metrics runs. */
export interface BoundExporter {
  collect(context: ExporterContext): ExportedSample[] | Promise<ExportedSample[]>;
}

/** Identity, for the types: collect() gets its options typed from the schema. */
export const defineExporter = <S extends ExporterOptionsSchema>(exporter: Exporter<S>): Exporter<S> => exporter;
