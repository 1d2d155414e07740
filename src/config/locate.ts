import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface ConfigLocation {
  path: string | undefined;
  /** Why this path was chosen, for `config check` and the debug log. */
  origin: 'flag' | 'env' | 'cwd' | 'user' | 'system' | 'defaults';
}

/** -c FILE, else ARGUS_CONFIG_PATH, else ./config/config.yaml, else the user's, else the system's, else defaults. */
export function locateConfig(flagPath: string | undefined, env: NodeJS.ProcessEnv, cwd: string): ConfigLocation {
  if (flagPath) return { path: resolve(cwd, flagPath), origin: 'flag' };
  if (env.ARGUS_CONFIG_PATH) return { path: resolve(cwd, env.ARGUS_CONFIG_PATH), origin: 'env' };
  const xdgConfig = env.XDG_CONFIG_HOME || join(env.HOME ?? homedir(), '.config');
  const candidates: [string, ConfigLocation['origin']][] = [
    [join(cwd, 'config', 'config.yaml'), 'cwd'],
    [join(xdgConfig, 'argus', 'config.yaml'), 'user'],
    ['/etc/argus/config.yaml', 'system'],
  ];
  for (const [path, origin] of candidates) if (existsSync(path)) return { path, origin };
  return { path: undefined, origin: 'defaults' };
}
