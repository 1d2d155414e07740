import { Option } from 'commander';
import { examples, type RegisterCommand } from '../command-context.ts';
import type { ReportOptions } from './report-action.ts';

export const registerReport: RegisterCommand = (program, { io }) => {
  program
    .command('report')
    .description(
      'Summarize the recorded history: min, avg, p95, max and last per metric with a trend, time in WARN and CRIT, and the incidents',
    )
    .option('-c, --config <file>', 'config file that says where the history is (storage.sqlite.path)')
    .option('--since <when>', 'start of the window: a duration back from now ("24h", "7d") or an ISO-8601 time', '24h')
    .option('--until <when>', 'end of the window, same forms as --since (default: now)')
    .option('--check <name>', 'only this check')
    .option('--instance <name>', 'only this instance (a mount point, an interface)')
    .option('--metric <name>', 'only this metric')
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['table', 'json', 'csv', 'markdown'])
        .default('table'),
    )
    .option('--html <file>', 'also write a self-contained HTML page with a chart per metric (opens offline)')
    .option('--db <file>', 'read this history database instead of the configured one')
    .option('--all', 'the table lists series that never moved in the window too (cores, totals, idle interfaces)')
    .option('--tz <zone>', 'time zone of every time printed: UTC, local, or an IANA name ("Europe/Berlin")', 'UTC')
    .addHelpText(
      'after',
      examples(
        'argus report',
        'argus report --since 7d --check disk --instance /',
        'argus report --since 2026-11-26T22:00 --until 2026-11-27T06:00 -o markdown',
        'argus report --since 30d --html /tmp/argus-month.html',
        'argus report --since 12h --tz local',
        'argus report -o json | jq \'.incidents[] | select(.status == "CRIT")\'',
      ),
    )
    .action(async (options: ReportOptions) => {
      const { runReport } = await import('./report-action.ts');
      await runReport(io, options);
    });
};
