import { examples, type RegisterCommand } from '../command-context.ts';
import type { AgentOptions } from './agent-action.ts';

export const registerAgent: RegisterCommand = (program, { io }) => {
  program
    .command('agent')
    .description(
      'Run headless: the checks every poll_interval, history, sinks and alerts, and an HTTP server with ' +
        '/metrics (Prometheus), /healthz and /api/v1/status (default 127.0.0.1:19100, see server.listen)',
    )
    .option(
      '-c, --config <file>',
      'config file (default: $ARGUS_CONFIG_PATH, ./config/config.yaml, ~/.config/argus, /etc/argus)',
    )
    .option('--no-history', 'record nothing in the history database')
    .option('--log-level <level>', 'DEBUG, INFO, WARNING or ERROR')
    .addHelpText(
      'after',
      `${examples(
        'argus agent',
        'argus agent -c /etc/argus/config.yaml',
        'curl -s http://127.0.0.1:19100/metrics | grep argus_check_status',
        'kill -HUP $(pidof argus)   # reload the config; a bad file keeps the old one',
      )}\nSIGTERM or SIGINT stops it (exit 0); SIGHUP reloads. A non-loopback server.listen without server.auth is refused (exit 78); a taken address exits 69.\n`,
    )
    .action(async (options: AgentOptions) => {
      const { runAgent } = await import('./agent-action.ts');
      await runAgent(io, options);
    });
};
