import { procPath, type Host } from '../collect/host.ts';
import { defineExporter } from './exporter.ts';
import { familyCache, parseDecimal } from './family-cache.ts';
import type { ExportedSample } from './series.ts';

const family = familyCache();

let pageSize: number | undefined;
/** The kernel's page size (`mem` counts pages), from our own smaps: 4 KiB on x86, 4-64 KiB on arm64. */
function kernelPageSize(host: Host): number {
  if (pageSize === undefined) {
    const match = /^KernelPageSize:\s+(\d+) kB$/m.exec(host.tryReadText('/proc/self/smaps') ?? '');
    pageSize = match ? Number(match[1]) * 1024 : 4096;
  }
  return pageSize;
}

function parse(text: string, host: Host, samples: ExportedSample[]): void {
  for (const line of text.split('\n')) {
    const [head, ...pairs] = line.trim().split(/\s+/);
    if (head === undefined || !head.endsWith(':')) continue;
    const protocol = head.slice(0, -1);
    for (let index = 0; index + 1 < pairs.length; index += 2) {
      const key = pairs[index] ?? '';
      const value = parseDecimal(pairs[index + 1]);
      if (value === undefined) continue;
      if (protocol === 'sockets') {
        samples.push({
          family: family('node_sockstat_sockets_used', 'gauge', 'Number of IPv4 sockets in use.'),
          value,
        });
        continue;
      }
      const name = (state: string) =>
        family(`node_sockstat_${protocol}_${state}`, 'gauge', `Number of ${protocol} sockets in state ${state}.`);
      samples.push({ family: name(key), value });
      if (key === 'mem') samples.push({ family: name('mem_bytes'), value: value * kernelPageSize(host) });
    }
  }
}

/** node_exporter's sockstat collector: sockets per protocol and state, /proc/net/sockstat and sockstat6. */
export const sockstatExporter = defineExporter({
  description: 'Sockets in use per protocol, with TCP and UDP memory, from /proc/net/sockstat{,6}',
  collect: ({ host }) => {
    const samples: ExportedSample[] = [];
    parse(host.readText(procPath(host, 'net', 'sockstat')), host, samples);
    const six = host.tryReadText(procPath(host, 'net', 'sockstat6'));
    if (six !== undefined) parse(six, host, samples);
    return samples;
  },
});
