import { examples, type RegisterCommand } from '../command-context.ts';
import type { ServiceOptions } from './service-action.ts';

export const registerService: RegisterCommand = (program, context) => {
  const service = program
    .command('service')
    .description('Install, remove or inspect `argus agent` as a systemd service (argus-agent.service)');
  const action =
    (verb: 'install' | 'uninstall' | 'status') =>
    async (options: ServiceOptions): Promise<void> => {
      const { runService } = await import('./service-action.ts');
      context.setExitCode(await runService(context.io, verb, options));
    };
  service
    .command('install')
    .description(
      'Write the unit for the argus that runs now (its node and script, resolved), create the user, a config if there is none, then enable and start it',
    )
    .option(
      '-c, --config <file>',
      'the config the agent reads; written from the defaults if missing',
      '/etc/argus/config.yaml',
    )
    .option('--user <name>', 'the unprivileged user it runs as, created if missing', 'argus')
    .option('--unit-dir <dir>', 'where the unit goes', '/etc/systemd/system')
    .option('--no-start', 'enable it, but do not start it now')
    .option('--dry-run', 'print the unit and the steps, change nothing')
    .addHelpText(
      'after',
      examples(
        'sudo argus service install',
        'argus service install --dry-run',
        'sudo argus service install --no-start',
      ),
    )
    .action(action('install'));
  service
    .command('uninstall')
    .description('Stop and disable the service and remove its unit; the config, history and user stay')
    .option('--unit-dir <dir>', 'where the unit is', '/etc/systemd/system')
    .option('--dry-run', 'print the steps, change nothing')
    .action(action('uninstall'));
  service
    .command('status')
    .description('Whether the unit is installed, enabled and running, and what it runs; exit 0 when active, 3 when not')
    .option('--unit-dir <dir>', 'where the unit is', '/etc/systemd/system')
    .action(action('status'));
};
