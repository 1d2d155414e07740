import { readLoadavg } from '../collect/loadavg.ts';
import { defineExporter } from './exporter.ts';
import { LOAD } from './families.ts';

/** node_exporter's loadavg collector. */
export const loadavgExporter = defineExporter({
  description: 'Load averages over 1, 5 and 15 minutes, from /proc/loadavg',
  collect: ({ host }) => {
    const load = readLoadavg(host);
    return [
      { family: LOAD.load1, value: load.load1 },
      { family: LOAD.load5, value: load.load5 },
      { family: LOAD.load15, value: load.load15 },
    ];
  },
});
