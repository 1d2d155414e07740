/**
 * A Prometheus metric family. Host metrics that node_exporter also collects carry its name, type and unit, so
 * dashboards and alert rules written for it work on Argus unchanged.
 */
export interface ExportedFamily {
  name: string;
  type: 'counter' | 'gauge' | 'untyped';
  help: string;
}

/** One series of a family: the value as the OS reports it (a counter stays a counter; Prometheus takes rates). */
export interface ExportedSample {
  family: ExportedFamily;
  labels?: Readonly<Record<string, string>>;
  value: number;
}
