import { Option } from 'commander';
import { examples, type RegisterCommand } from '../command-context.ts';

export const registerChecks: RegisterCommand = (program, { io }) => {
  program
    .command('checks')
    .description('List every check with its description, categories, metrics and units, and whether it is enabled')
    .option('-c, --config <file>', 'config file that decides which checks are enabled')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', examples('argus checks', "argus checks -o json | jq -r '.[] | select(.enabled) | .name'"))
    .action(async (options: { config?: string; output: 'table' | 'json' }) => {
      const { listChecks } = await import('./checks-action.ts');
      await listChecks(io, options);
    });
};
