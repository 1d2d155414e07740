import { Option } from 'commander';
import { redactSecrets } from '../../log/redact.ts';
import { examples, type RegisterCommand } from '../command-context.ts';
import { loadAudited } from '../runtime.ts';

export const registerConfig: RegisterCommand = (program, { io }) => {
  const config = program.command('config').description('Inspect and validate the configuration');
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
      const loaded = await loadAudited(io, options.config, {});
      const source = loaded.location.path ? `"${loaded.location.path}"` : 'built-in defaults (no config file found)';
      for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);
      io.stderr(`Config OK: ${source}${loaded.sha256 ? ` sha256:${loaded.sha256.slice(0, 12)}` : ''}\n`);
      const effective = redactSecrets(loaded.config);
      if (options.output === 'json') {
        io.stdout(`${JSON.stringify(effective, null, 2)}\n`);
        return;
      }
      const { stringifyYaml } = await import('../../config/parse-file.ts');
      io.stdout(stringifyYaml(effective));
    });
};
