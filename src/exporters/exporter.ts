import type { FsStats, Host } from '../collect/host.ts';
import type { ExportedSample } from './series.ts';

export interface ExporterContext {
  host: Host;
  /**
   * statfs of a network or FUSE mount, out of process and bounded (a hung NFS server must not hang the scrape);
   * a string says why there is no answer.
   */
  probeMount: (path: string) => Promise<FsStats | string>;
}

/**
 * One of node_exporter's collectors: its series, under its names, labels, types and units, read from the host at
 * scrape time. The file stem is the collector's name, as node_exporter's `collector/<name>_linux.go`.
 * @example export const loadavgExporter = defineExporter({ description: '…', collect: ({ host }) => [...] });
 */
export interface Exporter {
  description: string;
  collect(context: ExporterContext): ExportedSample[] | Promise<ExportedSample[]>;
}

/** Identity, for the types. */
export const defineExporter = (exporter: Exporter): Exporter => exporter;
