import { Option } from 'commander';
import { examples, type RegisterCommand } from '../command-context.ts';

export const registerConfig: RegisterCommand = (program, { io }) => {
  const config = program
    .command('config')
    .description('Inspect and validate the configuration')
    .addHelpText(
      'after',
      examples(
        'argus config check',
        'argus config check -c /etc/argus/config.yaml',
        'argus config check -o json | jq .thresholds',
      ),
    );
  config
    .command('check')
    .description('Validate the config (file, ARGUS_* environment) and print the effective settings, secrets redacted')
    .option('-c, --config <file>', 'config file to check (default: the one `status` would use)')
    .addOption(
      new Option('-o, --output <format>', 'how to print the effective config')
        .choices(['yaml', 'json'])
        .default('yaml'),
    )
    .addHelpText(
      'after',
      examples(
        'argus config check',
        'argus config check -c /etc/argus/config.yaml',
        'ARGUS_POLL_INTERVAL=10 argus config check -o json',
      ),
    )
    .action(async (options: { config?: string; output: 'yaml' | 'json' }) => {
      const { checkConfig } = await import('./config-action.ts');
      await checkConfig(io, options);
    });
};
