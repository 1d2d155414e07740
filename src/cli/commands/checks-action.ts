import Table from 'cli-table3';
import type { Io } from '../io.ts';
import { loadAudited } from '../../engine/runtime.ts';
import { cellWidth, wrapWords } from '../../format/cells.ts';

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
  const head = ['CHECK', 'ENABLED', 'CATEGORIES', 'DESCRIPTION AND METRICS'];
  // The first three columns as wide as their longest cell (a space either side); the text takes what the terminal
  // has left after them and the five borders, so that no line is wider than the terminal (it wrapped at 80).
  const fixed = [
    head[0]!.length,
    Math.max(head[1]!.length, 3),
    ...[rows.map((row) => row.name), rows.map((row) => row.categories.join(', '))].map((cells) =>
      Math.max(...cells.map(cellWidth)),
    ),
  ];
  const [nameWidth, enabledWidth, categoriesWidth] = [
    Math.max(fixed[0]!, fixed[2]!) + 2,
    fixed[1]! + 2,
    Math.max(head[2]!.length, fixed[3]!) + 2,
  ];
  const textWidth = Math.max(12, io.columns - nameWidth - enabledWidth - categoriesWidth - 5);
  const table = new Table({
    head,
    style: { head: [], border: [] },
    colWidths: [nameWidth, enabledWidth, categoriesWidth, textWidth],
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
