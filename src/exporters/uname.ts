import { hostname, machine, release, type, version } from 'node:os';
import { procPath } from '../collect/host.ts';
import { defineExporter } from './exporter.ts';
import type { ExportedFamily } from './series.ts';

const INFO: ExportedFamily = {
  name: 'node_uname_info',
  type: 'gauge',
  help: 'Labeled system information as provided by the uname system call.',
};

/**
 * node_exporter's uname collector: node_uname_info, which host dashboards ("Node Exporter Full") build their
 * `$node` and `$job` variables from. The kernel's answers to uname(2), as /proc/sys/kernel holds them (the same
 * answers: both are of the UTS namespace Argus runs in, as node_exporter's syscall is), with Node's os module when
 * a file cannot be read.
 */
export const unameExporter = defineExporter({
  description: 'Kernel name, release, version, machine and host name (node_uname_info)',
  collect: ({ host }) => {
    const kernel = (file: string, fallback: () => string): string =>
      host.tryReadText(procPath(host, 'sys', 'kernel', file))?.trim() ?? fallback();
    return [
      {
        family: INFO,
        labels: {
          domainname: kernel('domainname', () => '(none)'),
          machine: machine(),
          nodename: kernel('hostname', hostname),
          release: kernel('osrelease', release),
          sysname: kernel('ostype', type),
          version: kernel('version', version),
        },
        value: 1,
      },
    ];
  },
});
