import { Argument } from 'commander';
import { generateCompletion, SHELLS, type Shell } from '../completion.ts';
import { examples, type RegisterCommand } from '../command-context.ts';

export const registerCompletion: RegisterCommand = (program, { io }) => {
  program
    .command('completion')
    .description('Print a shell completion script generated from the command tree')
    .addArgument(new Argument('<shell>', 'the shell to complete for').choices(SHELLS))
    .addHelpText(
      'after',
      examples(
        'source <(argus completion bash)',
        'argus completion zsh > "${fpath[1]}/_argus"',
        'argus completion fish > ~/.config/fish/completions/argus.fish',
      ),
    )
    .action((shell: Shell) => {
      io.stdout(generateCompletion(program, shell));
    });
};
