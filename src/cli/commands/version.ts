import { VERSION } from '../../version.ts';
import { examples, type RegisterCommand } from '../command-context.ts';

export const registerVersion: RegisterCommand = (program, { io }) => {
  program
    .command('version')
    .description('Print the version of Argus, Node.js and the platform')
    .option('--json', 'print one JSON object')
    .addHelpText('after', examples('argus version', 'argus version --json | jq -r .version'))
    .action((options: { json?: boolean }) => {
      const facts = { version: VERSION, node: process.version, platform: process.platform, arch: process.arch };
      io.stdout(
        options.json
          ? `${JSON.stringify(facts)}\n`
          : `argus ${VERSION} (node ${facts.node}, ${facts.platform} ${facts.arch})\n`,
      );
    });
};
