import { readProcStat } from '../collect/proc-stat.ts';
import { defineExporter } from './exporter.ts';
import { BOOT_TIME } from './families.ts';

/** node_exporter's stat collector: the boot time, so far. */
export const statExporter = defineExporter({
  description: 'Boot time, from /proc/stat',
  collect: ({ host }) => {
    const { bootTimeSeconds } = readProcStat(host);
    return bootTimeSeconds === undefined ? [] : [{ family: BOOT_TIME, value: bootTimeSeconds }];
  },
});
