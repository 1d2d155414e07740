import type { ExportedFamily } from './series.ts';

/**
 * Families whose names come from the file they are read from (node_vmstat_pgfault, node_netstat_Tcp_InSegs), made
 * once each and kept: node_exporter builds a descriptor per field too.
 */
export function familyCache(): (name: string, type: ExportedFamily['type'], help: string) => ExportedFamily {
  const known = new Map<string, ExportedFamily>();
  return (name, type, help) => {
    let made = known.get(name);
    if (!made) known.set(name, (made = { name, type, help }));
    return made;
  };
}

/** A decimal counter as /proc writes it; undefined for anything else, so a malformed field is skipped, not 0. */
export function parseDecimal(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}
