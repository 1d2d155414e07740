import { Option } from 'commander';
import { examples, type RegisterCommand } from '../command-context.ts';
import type { TopCliOptions } from './top-action.ts';

export const registerTop: RegisterCommand = (program, { io }) => {
  program
    .command('top')
    .description('A live full-screen view: CPU, memory, disks, network, checks that are not OK, and processes')
    .option('-i, --interval <seconds>', 'seconds between refreshes, or a duration such as "5s"', '2')
    .option(
      '-c, --config <file>',
      'config file (default: $ARGUS_CONFIG_PATH, ./config/config.yaml, ~/.config/argus, /etc/argus)',
    )
    .addOption(
      new Option('-s, --sort <key>', 'sort processes by').choices(['cpu', 'memory', 'io', 'time']).default('cpu'),
    )
    .option('--ascii', 'draw with ASCII only (also when the locale is not UTF-8)')
    .option('--once', 'print one frame to stdout and exit (for pipes and scripts)')
    .option('--size <columns>x<rows>', 'the size of the --once frame (default: the terminal, else 120x40)')
    .addHelpText(
      'after',
      `\nKeys: h help, c/m/i/T sort by CPU/memory/I/O/time, t tree, / filter, p pause, +/- interval, q quit.${examples(
        'argus top',
        'argus top -i 1 --sort memory',
        'argus top --once --size 120x40 > frame.txt',
        'NO_COLOR=1 argus top --ascii',
      )}`,
    )
    .action(async (options: TopCliOptions) => {
      const { runTopCommand } = await import('./top-action.ts');
      await runTopCommand(io, options);
    });
};
