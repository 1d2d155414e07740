import { sysPath, type Host } from './host.ts';

/** /sys/devices/system/cpu/cpu<N> of every CPU the kernel lists, in numeric order: [{ cpu: "0", dir }, …]. */
export function listSysCpus(host: Host): { cpu: string; dir: string }[] {
  const root = sysPath(host, 'devices', 'system', 'cpu');
  return host
    .listDir(root)
    .filter((entry) => /^cpu\d+$/.test(entry))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)))
    .map((entry) => ({ cpu: entry.slice(3), dir: `${root}/${entry}` }));
}
