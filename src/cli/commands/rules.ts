import { examples, type RegisterCommand } from '../command-context.ts';
import type { RulesOptions } from './rules-action.ts';

export const registerRules: RegisterCommand = (program, { io }) => {
  program
    .command('rules')
    .description(
      'Print Prometheus alerting rules that apply the configured thresholds to the series `argus agent` exports',
    )
    .option(
      '-c, --config <file>',
      'config file (default: $ARGUS_CONFIG_PATH, ./config/config.yaml, ~/.config/argus, /etc/argus)',
    )
    .addHelpText(
      'after',
      `${examples(
        'argus rules > /etc/prometheus/rules/argus.yml && promtool check rules /etc/prometheus/rules/argus.yml',
        'argus rules -c /etc/argus/config.yaml',
      )}\nOne rule per check, metric and level for enabled checks (per-instance overrides get their own condition), ` +
        "with `for` from alerts.for and alerts.for_cycles; plus rules on the agent's health.\n",
    )
    .action(async (options: RulesOptions) => {
      const { runRules } = await import('./rules-action.ts');
      await runRules(io, options);
    });
};
