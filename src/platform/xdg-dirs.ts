import { homedir } from 'node:os';
import { join } from 'node:path';

/** $XDG_STATE_HOME/argus (~/.local/state/argus): the audit log, the alert state and outboxes live here. */
export const defaultStateDir = (env: NodeJS.ProcessEnv): string =>
  join(env.XDG_STATE_HOME || join(env.HOME ?? homedir(), '.local', 'state'), 'argus');

/** $XDG_DATA_HOME/argus (~/.local/share/argus): the history database lives here. */
export const defaultDataDir = (env: NodeJS.ProcessEnv): string =>
  join(env.XDG_DATA_HOME || join(env.HOME ?? homedir(), '.local', 'share'), 'argus');
