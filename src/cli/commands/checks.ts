import Table from 'cli-table3';
import { Option } from 'commander';
import type { Check } from '../../checks/check.ts';
import { checkNames, checks } from '../../checks/registry.ts';
import { examples, type RegisterCommand } from '../command-context.ts';
import { loadAudited } from '../runtime.ts';

export const registerChecks: RegisterCommand = (program, { io }) => {
  program
    .command('checks')
    .description('List every check with its description, categories, metrics and units, and whether it is enabled')
    .option('-c, --config <file>', 'config file that decides which checks are enabled')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', examples('argus checks', "argus checks -o json | jq -r '.[] | select(.enabled) | .name'"))
    .action(async (options: { config?: string; output: 'table' | 'json' }) => {
      const { config } = await loadAudited(io, options.config, {});
      const rows = checkNames.map((name) => {
        const check = checks[name] as Check;
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
      const table = new Table({
        head: ['CHECK', 'ENABLED', 'CATEGORIES', 'DESCRIPTION AND METRICS'],
        style: { head: [], border: [] },
        colWidths: [null, null, null, Math.max(40, io.columns - 45)],
        wordWrap: true,
      });
      for (const row of rows) {
        const metrics = row.metrics.map((metric) => `${metric.name} (${metric.unit})`).join(', ');
        table.push([
          row.name,
          row.enabled ? 'yes' : 'no',
          row.categories.join(', '),
          `${row.description}\nmetrics: ${metrics}`,
        ]);
      }
      io.stdout(`${table.toString()}\n`);
    });
};
