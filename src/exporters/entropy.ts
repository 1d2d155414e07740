import { procPath, tryReadNumber } from '../collect/host.ts';
import { defineExporter } from './exporter.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

const AVAILABLE: ExportedFamily = {
  name: 'node_entropy_available_bits',
  type: 'gauge',
  help: 'Bits of available entropy.',
};
const POOL_SIZE: ExportedFamily = { name: 'node_entropy_pool_size_bits', type: 'gauge', help: 'Bits of entropy pool.' };

/** node_exporter's entropy collector: the kernel's random pool, /proc/sys/kernel/random. */
export const entropyExporter = defineExporter({
  description: 'Entropy available in the kernel random pool, and its size',
  collect: ({ host }) => {
    const available = tryReadNumber(host, procPath(host, 'sys', 'kernel', 'random', 'entropy_avail'));
    if (available === undefined) throw new Error('entropy_avail cannot be read');
    const samples: ExportedSample[] = [{ family: AVAILABLE, value: available }];
    const poolSize = tryReadNumber(host, procPath(host, 'sys', 'kernel', 'random', 'poolsize'));
    if (poolSize !== undefined) samples.push({ family: POOL_SIZE, value: poolSize });
    return samples;
  },
});
