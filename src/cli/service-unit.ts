import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

declare const ARGUS_BUNDLED: boolean | undefined;

export const UNIT_NAME = 'argus-agent.service';

/** The package's root: beside dist/ when bundled, two levels above src/cli/ from source. */
export function packageRoot(): string {
  return typeof ARGUS_BUNDLED === 'boolean'
    ? join(__dirname, '..')
    : join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** A path as systemd reads it on a command line: quoted when it holds a space, its quotes and backslashes escaped. */
const unitWord = (word: string): string =>
  /[\s"'\\]/.test(word) ? `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : word;

export interface UnitOptions {
  /** The node binary and the argus script that run now: what ExecStart runs, whatever the PATH of systemd. */
  node: string;
  script: string;
  config: string;
  user: string;
}

/** This process' node and argus, with links resolved (a global npm install links bin/argus into node_modules). */
export const runningArgus = (): Pick<UnitOptions, 'node' | 'script'> => ({
  node: realpathSync(process.execPath),
  script: realpathSync(process.argv[1] ?? join(packageRoot(), 'bin', 'argus.cjs')),
});

/**
 * The agent's unit: contrib/systemd/argus-agent.service (shipped in the package, the one place its hardening is
 * written) with ExecStart, Documentation, User and Group set for this machine.
 */
export function renderAgentUnit(options: UnitOptions): string {
  const root = packageRoot();
  const template = readFileSync(join(root, 'contrib', 'systemd', UNIT_NAME), 'utf8');
  const replace = (text: string, key: string, value: string): string => {
    const pattern = new RegExp(`^${key}=.*$`, 'm');
    if (!pattern.test(text)) throw new Error(`${UNIT_NAME} has no ${key}= line`);
    return text.replace(pattern, () => `${key}=${value}`);
  };
  let unit = template.replace(/^#.*\n(?=\[Unit\])/ms, '');
  unit = `# Written by \`argus service install\`; \`argus service uninstall\` removes it.\n${unit}`;
  unit = replace(unit, 'Documentation', `file://${join(root, 'README.md')}`);
  unit = replace(unit, 'User', options.user);
  unit = replace(unit, 'Group', options.user);
  return replace(
    unit,
    'ExecStart',
    [options.node, options.script, 'agent', '-c', options.config].map(unitWord).join(' '),
  );
}
