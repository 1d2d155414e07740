import { procPath, tryReadNumber } from '../collect/host.ts';
import { defineExporter } from './exporter.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

const gauge = (name: string, help: string): ExportedFamily => ({ name, type: 'gauge', help });
const ENTRIES = gauge(
  'node_nf_conntrack_entries',
  'Number of currently allocated flow entries for connection tracking.',
);
const LIMIT = gauge('node_nf_conntrack_entries_limit', 'Maximum size of connection tracking table.');
/** Columns of /proc/net/stat/nf_conntrack that node_exporter sums over CPUs, with its names and help texts. */
const STATS: Record<string, ExportedFamily> = {
  found: gauge('node_nf_conntrack_stat_found', 'Number of searched entries which were successful.'),
  invalid: gauge('node_nf_conntrack_stat_invalid', 'Number of packets seen which can not be tracked.'),
  ignore: gauge(
    'node_nf_conntrack_stat_ignore',
    'Number of packets seen which are already connected to a conntrack entry.',
  ),
  insert: gauge('node_nf_conntrack_stat_insert', 'Number of entries inserted into the list.'),
  insert_failed: gauge(
    'node_nf_conntrack_stat_insert_failed',
    'Number of entries for which list insertion was attempted but failed.',
  ),
  drop: gauge('node_nf_conntrack_stat_drop', 'Number of packets dropped due to conntrack failure.'),
  early_drop: gauge(
    'node_nf_conntrack_stat_early_drop',
    'Number of dropped conntrack entries to make room for new ones, if maximum table size was reached.',
  ),
  search_restart: gauge(
    'node_nf_conntrack_stat_search_restart',
    'Number of conntrack table lookups which had to be restarted due to hashtable resizes.',
  ),
};

/** node_exporter's conntrack collector: the netfilter connection table's size, limit and per-CPU statistics. */
export const conntrackExporter = defineExporter({
  description: 'Netfilter connection tracking: entries, limit and statistics',
  collect: ({ host }) => {
    const entries = tryReadNumber(host, procPath(host, 'sys', 'net', 'netfilter', 'nf_conntrack_count'));
    // No nf_conntrack module loaded: nothing to say (node_exporter reports no data either).
    if (entries === undefined) return [];
    const samples: ExportedSample[] = [{ family: ENTRIES, value: entries }];
    const limit = tryReadNumber(host, procPath(host, 'sys', 'net', 'netfilter', 'nf_conntrack_max'));
    if (limit !== undefined) samples.push({ family: LIMIT, value: limit });
    const table = host.tryReadText(procPath(host, 'net', 'stat', 'nf_conntrack'));
    if (table === undefined) return samples;
    const [header = '', ...rows] = table.trim().split('\n');
    const columns = header.trim().split(/\s+/);
    const sums = new Map<string, number>();
    for (const row of rows) {
      const values = row.trim().split(/\s+/);
      columns.forEach((column, index) => {
        sums.set(column, (sums.get(column) ?? 0) + Number.parseInt(values[index] ?? '0', 16));
      });
    }
    for (const [column, family] of Object.entries(STATS)) {
      const sum = sums.get(column);
      if (sum !== undefined) samples.push({ family, value: sum });
    }
    return samples;
  },
});
