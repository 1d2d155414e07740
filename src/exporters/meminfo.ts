import { readMeminfo } from '../collect/meminfo.ts';
import { defineExporter } from './exporter.ts';
import { memoryFamily } from './families.ts';

/** node_exporter's meminfo collector: every field of /proc/meminfo, kB fields in bytes. */
export const meminfoExporter = defineExporter({
  description: 'Every field of /proc/meminfo, in bytes where the kernel gives kB',
  collect: ({ host }) =>
    (readMeminfo(host, { fields: true }).fields ?? []).map((field) => ({
      family: memoryFamily(field.name, field.isBytes),
      value: field.value,
    })),
});
