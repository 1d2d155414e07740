import { Option } from 'commander';
import { examples, type RegisterCommand } from '../command-context.ts';
import type { StatusOptions } from './status-action.ts';

export const registerStatus: RegisterCommand = (program, { io }) => {
  program
    .command('status')
    .description('Run the enabled checks every poll_interval and print the results (Ctrl-C to stop)')
    .option(
      '-c, --config <file>',
      'config file (default: $ARGUS_CONFIG_PATH, ./config/config.yaml, ~/.config/argus, /etc/argus)',
    )
    .option('-i, --interval <seconds>', 'seconds between cycles, or a duration such as "5s"')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']))
    .option('--once', 'run one cycle, print it and exit')
    .option('--processes <n>', 'with -o json: add the top N processes by CPU to each document')
    .option('--history', 'record this run in the history database, even with --once (see `argus report`)')
    .option('--no-history', 'record nothing in the history database')
    .option('--checks <names>', 'comma-separated checks to run instead of enabled_checks (see `argus checks`)')
    .option('--log-level <level>', 'DEBUG, INFO, WARNING or ERROR')
    .addHelpText(
      'after',
      examples(
        'argus status --once',
        'argus status -i 5 --checks cpu,ram',
        'argus status --once -o json | jq \'.results[] | select(.status != "OK")\'',
        'argus status -o json >> /var/tmp/argus.ndjson',
        'argus status --once -o json --processes 5 | jq .processes',
        'argus status --no-history -i 10s',
      ),
    )
    .action(async (options: StatusOptions) => {
      // Loaded on use: `argus version` and `--help` should not pay for the checks, config and sinks.
      const { runStatus } = await import('./status-action.ts');
      await runStatus(io, options);
    });
};
