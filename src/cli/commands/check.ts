import { CommanderError } from 'commander';
import { examples, type RegisterCommand } from '../command-context.ts';

const PLUGIN_UNKNOWN = 3;
import type { NagiosCheckOptions } from './check-action.ts';

/** Nagios mode: Argus as a monitoring plugin. Here -c is the critical range, as in every plugin. */
export const registerCheck: RegisterCommand = (program, context) => {
  program
    .command('check')
    .description(
      'Run one check as a Nagios/Icinga plugin: one status line with perfdata, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN',
    )
    .argument('<name>', 'the check to run (see `argus checks`)')
    .option(
      '-w, --warning <range>',
      "warning range for the check's main metric (Monitoring Plugins syntax: 80, 10:, ~:10, @10:20)",
    )
    .option('-c, --critical <range>', 'critical range for the main metric')
    .option('-m, --metric <name>', 'apply -w/-c to this metric instead of the main one')
    .option('-i, --instance <name>', 'report only this instance (a mount point, an interface, a sensor)')
    .option('-C, --command <name>', 'procs: count processes with this exact command name (as check_procs -C)')
    .option('-u, --user <name>', 'procs: count processes of this user (a name or uid)')
    .option('-s, --state <letters>', 'procs: count processes in any of these states (Z zombie, D uninterruptible, …)')
    .option('-a, --argument-array <regex>', 'procs: count processes whose command line matches this regex')
    .option('-t, --timeout <seconds>', 'give up with UNKNOWN after this many seconds', '10')
    .option('--config <file>', 'config file (other thresholds and check options come from it)')
    .option('-V, --version', 'print the version (exits 3, as plugins do)')
    .addHelpText(
      'after',
      `\nExit codes follow the plugin guidelines: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also for --help, --version and bad arguments).\n${examples(
        'argus check disk -w 80 -c 90',
        'argus check disk --instance / --metric free_percent -w 20: -c 10:',
        'argus check ram -c 95',
        'argus check cpu -w 85 -c 98 -t 5',
        'argus check procs -C nginx -c 1:',
        'argus check procs -s Z -w 0 -c 5',
      )}`,
    )
    // As every plugin: what is not a check result (bad arguments, --help) is UNKNOWN, exit 3.
    .exitOverride((error) => {
      throw new CommanderError(PLUGIN_UNKNOWN, error.code, error.message);
    })
    .action(async (name: string, options: NagiosCheckOptions) => {
      const { runNagiosCheck } = await import('./check-action.ts');
      context.setExitCode(await runNagiosCheck(context.io, name, options));
    });
};
