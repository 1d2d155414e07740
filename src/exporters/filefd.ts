import { procPath } from '../collect/host.ts';
import { defineExporter } from './exporter.ts';
import type { ExportedFamily } from './series.ts';

const ALLOCATED: ExportedFamily = {
  name: 'node_filefd_allocated',
  type: 'gauge',
  help: 'File descriptor statistics: allocated.',
};
const MAXIMUM: ExportedFamily = {
  name: 'node_filefd_maximum',
  type: 'gauge',
  help: 'File descriptor statistics: maximum.',
};

/** node_exporter's filefd collector: /proc/sys/fs/file-nr (allocated, unused — always 0 since 2.6 —, maximum). */
export const filefdExporter = defineExporter({
  description: 'Open file handles and their limit, from /proc/sys/fs/file-nr',
  collect: ({ host }) => {
    const [allocated, , maximum] = host
      .readText(procPath(host, 'sys', 'fs', 'file-nr'))
      .trim()
      .split(/\s+/);
    if (allocated === undefined || maximum === undefined) throw new SyntaxError('file-nr has fewer than 3 fields');
    return [
      { family: ALLOCATED, value: Number(allocated) },
      { family: MAXIMUM, value: Number(maximum) },
    ];
  },
});
