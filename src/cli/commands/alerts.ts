import { examples, type RegisterCommand } from '../command-context.ts';

export const registerAlerts: RegisterCommand = (program, context) => {
  const alerts = program
    .command('alerts')
    .description('Work with alert notifications')
    .addHelpText('after', examples('argus alerts test', 'argus alerts test --notifier ops -c /etc/argus/config.yaml'));
  alerts
    .command('test')
    .description('Send a test notification through each configured notifier (or one) and say whether it arrived')
    .option('-c, --config <file>', 'config file with alerts.notify')
    .option('-n, --notifier <name>', 'only this notifier')
    .addHelpText(
      'after',
      `\nExit 0 when every test arrived, 69 when one did not.${examples('argus alerts test', 'argus alerts test --notifier ops-webhook -c /etc/argus/config.yaml')}`,
    )
    .action(async (options: { config?: string; notifier?: string }) => {
      const { testNotifiers } = await import('./alerts-action.ts');
      context.setExitCode(await testNotifiers(context.io, options));
    });
};
