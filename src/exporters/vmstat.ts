import * as v from 'valibot';
import { procPath } from '../collect/host.ts';
import { regexSchema } from '../schema/regex.ts';
import { defineExporter } from './exporter.ts';
import { familyCache, parseDecimal } from './family-cache.ts';
import type { ExportedSample } from './series.ts';

const family = familyCache();

/** node_exporter's vmstat collector: the /proc/vmstat fields its --collector.vmstat.fields default picks. */
export const vmstatExporter = defineExporter({
  description: 'Paging, swapping and OOM-kill counters of /proc/vmstat',
  options: v.strictObject({
    fields: v.pipe(
      v.optional(regexSchema, '^(oom_kill|pgpg|pswp|pg.*fault).*'),
      v.description('Fields of /proc/vmstat to export (--collector.vmstat.fields)'),
    ),
  }),
  collect: ({ host }, options) => {
    const wanted = new RegExp(options.fields, 'u');
    const samples: ExportedSample[] = [];
    for (const line of host.readText(procPath(host, 'vmstat')).split('\n')) {
      const [field, text] = line.split(' ');
      const value = parseDecimal(text);
      if (field === undefined || value === undefined || !wanted.test(field)) continue;
      samples.push({
        family: family(`node_vmstat_${field}`, 'untyped', `/proc/vmstat information field ${field}.`),
        value,
      });
    }
    return samples;
  },
});
