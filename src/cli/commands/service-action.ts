import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NoPermissionError, UnavailableError } from '../../errors.ts';
import { isNotFound, runCommand, type CommandOutput } from '../../platform/run-command.ts';
import type { Io } from '../io.ts';
import { packageRoot, renderAgentUnit, runningArgus, UNIT_NAME } from '../service-unit.ts';

export interface ServiceOptions {
  config?: string;
  user?: string;
  unitDir?: string;
  start?: boolean;
  dryRun?: boolean;
}

/** systemctl's own code for "not running", which `argus service status` keeps. */
const NOT_ACTIVE = 3;

/** Runs a program on the caller's PATH; a program that is not installed says what is missing. */
async function run(io: Io, argv: string[]): Promise<CommandOutput> {
  try {
    return await runCommand(argv, { timeoutMs: 60_000, env: io.env });
  } catch (error) {
    if (isNotFound(error))
      throw new UnavailableError(`${argv[0]} is not installed: this machine has no systemd to run a service with`, {
        cause: error,
      });
    throw error;
  }
}

async function mustRun(io: Io, argv: string[]): Promise<CommandOutput> {
  const output = await run(io, argv);
  if (output.exitCode !== 0)
    throw new UnavailableError(`${argv.join(' ')} failed (exit ${String(output.exitCode)}): ${output.stderr.trim()}`);
  return output;
}

function requireRoot(verb: string): void {
  if (process.getuid?.() !== 0)
    throw new NoPermissionError(`argus service ${verb} changes /etc and systemd: it needs root`, {
      hint: `sudo argus service ${verb}, or argus service ${verb} --dry-run to see what it would do`,
    });
}

/** `argus service install | uninstall | status`: the exit code (status: 0 active, 3 not). */
export async function runService(
  io: Io,
  verb: 'install' | 'uninstall' | 'status',
  options: ServiceOptions,
): Promise<number> {
  const unitPath = join(resolve(io.cwd, options.unitDir ?? '/etc/systemd/system'), UNIT_NAME);
  if (verb === 'install') return install(io, unitPath, options);
  if (verb === 'uninstall') return uninstall(io, unitPath, options);
  return status(io, unitPath);
}

async function install(io: Io, unitPath: string, options: ServiceOptions): Promise<number> {
  const user = options.user ?? 'argus';
  const config = resolve(io.cwd, options.config ?? '/etc/argus/config.yaml');
  const start = options.start !== false;
  const unit = renderAgentUnit({ ...runningArgus(), config, user });
  const steps = [
    `create the system user "${user}" if it does not exist (useradd --system)`,
    `write ${config} from the defaults if it does not exist (0640, group ${user})`,
    `write ${unitPath}`,
    'systemctl daemon-reload',
    `systemctl enable${start ? ' --now' : ''} ${UNIT_NAME}`,
  ];
  if (options.dryRun) {
    io.stdout(unit);
    io.stderr(`argus: --dry-run: nothing changed; install would:\n${steps.map((step) => `  ${step}\n`).join('')}`);
    return 0;
  }
  requireRoot('install');
  if ((await run(io, ['id', '-u', user])).exitCode !== 0) {
    await mustRun(io, [
      'useradd',
      '--system',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      user,
    ]);
    io.stderr(`argus: created the system user ${user}\n`);
  }
  if (!existsSync(config)) {
    const gid = Number((await mustRun(io, ['id', '-g', user])).stdout.trim());
    mkdirSync(dirname(config), { recursive: true, mode: 0o755 });
    copyFileSync(join(packageRoot(), 'config', 'config.yaml'), config);
    chmodSync(config, 0o640);
    chownSync(config, 0, gid);
    io.stderr(`argus: wrote ${config} (the defaults; edit it, then systemctl reload argus-agent)\n`);
  }
  mkdirSync(dirname(unitPath), { recursive: true });
  writeFileSync(unitPath, unit, { mode: 0o644 });
  await mustRun(io, ['systemctl', 'daemon-reload']);
  await mustRun(io, ['systemctl', 'enable', ...(start ? ['--now'] : []), UNIT_NAME]);
  io.stderr(
    `argus: installed ${unitPath} and ${start ? 'started' : 'enabled'} it; \`argus service status\` or \`journalctl -u argus-agent\` to follow it\n`,
  );
  return 0;
}

async function uninstall(io: Io, unitPath: string, options: ServiceOptions): Promise<number> {
  const steps = [`systemctl disable --now ${UNIT_NAME}`, `remove ${unitPath}`, 'systemctl daemon-reload'];
  if (options.dryRun) {
    io.stderr(`argus: --dry-run: nothing changed; uninstall would:\n${steps.map((step) => `  ${step}\n`).join('')}`);
    return 0;
  }
  requireRoot('uninstall');
  // A unit never enabled, or already stopped, is no reason to stop here.
  const disabled = await run(io, ['systemctl', 'disable', '--now', UNIT_NAME]);
  if (disabled.exitCode !== 0) io.stderr(`argus: systemctl disable: ${disabled.stderr.trim()}\n`);
  const existed = existsSync(unitPath);
  rmSync(unitPath, { force: true });
  await mustRun(io, ['systemctl', 'daemon-reload']);
  io.stderr(
    `argus: ${existed ? `removed ${unitPath}` : `no unit at ${unitPath}`}; the config, /var/lib/argus (history, alert state, audit log), /var/log/argus and the user stay\n`,
  );
  return 0;
}

async function status(io: Io, unitPath: string): Promise<number> {
  const installed = existsSync(unitPath);
  const execStart = installed ? (/^ExecStart=(.*)$/m.exec(readFileSync(unitPath, 'utf8'))?.[1] ?? '?') : undefined;
  const ask = async (question: string): Promise<string> => {
    try {
      return (await run(io, ['systemctl', question, UNIT_NAME])).stdout.trim() || 'unknown';
    } catch (error) {
      if (error instanceof UnavailableError) return 'no systemd';
      throw error;
    }
  };
  const enabled = await ask('is-enabled');
  const active = await ask('is-active');
  io.stdout(
    [
      `unit     ${unitPath} (${installed ? 'installed' : 'not installed'})`,
      ...(execStart ? [`runs     ${execStart}`] : []),
      `enabled  ${enabled}`,
      `active   ${active}`,
      '',
    ].join('\n'),
  );
  return active === 'active' ? 0 : NOT_ACTIVE;
}
