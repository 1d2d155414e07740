import { join } from 'node:path';
import { defaultDataDir } from '../platform/xdg-dirs.ts';

/** storage.sqlite.path, else $XDG_DATA_HOME/argus/history.db: the one place both the writer and `report` ask. */
export const historyPath = (
  config: { storage: { sqlite: { path?: string | undefined } } },
  env: NodeJS.ProcessEnv,
): string => config.storage.sqlite.path ?? join(defaultDataDir(env), 'history.db');
