import Table from 'cli-table3';
import type { Io } from '../io.ts';
import { loadAudited } from '../../engine/runtime.ts';
import { wrapWords } from '../../format/cells.ts';

export async function listChecks(io: Io, options: { config?: string; output: 'table' | 'json' }): Promise<void> {
  const { config, checks } = await loadAudited(io, options.config, {});
  const rows = Object.entries(checks).map(([name, check]) => {
    return {
      name,
      enabled: config.enabled_checks.includes(name),
      description: check.description,
      categories: [...check.categories],
      main_metric: check.mainMetric,
      metrics: check.metrics.map((metric) => ({ name: metric.name, unit: metric.unit, help: metric.help })),
    };
  });
  if (options.output === 'json') {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const textWidth = Math.max(40, io.columns - 45);
  const table = new Table({
    head: ['CHECK', 'ENABLED', 'CATEGORIES', 'DESCRIPTION AND METRICS'],
    style: { head: [], border: [] },
    colWidths: [null, null, null, textWidth],
    wordWrap: false,
  });
  for (const row of rows) {
    const metrics = row.metrics.map((metric) => `${metric.name} (${metric.unit})`).join(', ');
    table.push([
      row.name,
      row.enabled ? 'yes' : 'no',
      row.categories.join(', '),
      // Wrapped here: cli-table3's wordWrap cost 80 ms for this table (it measures every prefix of every word).
      wrapWords(`${row.description}\nmetrics: ${metrics}`, textWidth - 2).join('\n'),
    ]);
  }
  io.stdout(`${table.toString()}\n`);
}
