import { readDiskstats, SECTOR_BYTES } from '../collect/diskstats.ts';
import { defineExporter } from './exporter.ts';
import { DISK } from './families.ts';
import type { ExportedSample } from './series.ts';

/**
 * node_exporter's default --collector.diskstats.device-exclude: partitions, loop and ram devices (a whole disk's
 * counters already hold its partitions').
 */
const IGNORED = /^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/;

/** node_exporter's diskstats collector: per block device, the counters of Documentation/admin-guide/iostats.rst. */
export const diskstatsExporter = defineExporter({
  description: 'I/O counters per block device, from /proc/diskstats',
  collect: ({ host }) => {
    const samples: ExportedSample[] = [];
    for (const counters of readDiskstats(host).values()) {
      if (IGNORED.test(counters.name)) continue;
      const labels = { device: counters.name };
      samples.push(
        { family: DISK.readsCompleted, labels, value: counters.readsCompleted },
        { family: DISK.readBytes, labels, value: counters.sectorsRead * SECTOR_BYTES },
        { family: DISK.readTime, labels, value: counters.readTimeMs * 0.001 },
        { family: DISK.writesCompleted, labels, value: counters.writesCompleted },
        { family: DISK.writtenBytes, labels, value: counters.sectorsWritten * SECTOR_BYTES },
        { family: DISK.writeTime, labels, value: counters.writeTimeMs * 0.001 },
        { family: DISK.ioNow, labels, value: counters.ioInProgress },
        { family: DISK.ioTime, labels, value: counters.ioTicksMs * 0.001 },
      );
    }
    return samples;
  },
});
