import { hostname } from 'node:os';
import { loadConfig, type LoadedConfig, type LoadOptions } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { ConfigError, UserError } from '../errors.ts';
import { appendAudit, defaultAuditPath, type AuditEvent } from '../log/audit.ts';
import { createLogRouter, type LogOutput, type LogRouter } from '../log/logger.ts';
import { openRotatingFile, type RotatingFile } from '../log/rotating-file.ts';
import { createCycle, type Cycle } from './cycle.ts';
import type { ProcessIo } from './process-io.ts';
import { monotonicMs } from '../platform/monotonic.ts';

export interface Runtime {
  loaded: LoadedConfig;
  logs: LogRouter;
  cycle: Cycle;
  audit(event: AuditEvent): void;
  /**
   * Re-reads the config with the same flags; keeps the old one and returns false when the new one is invalid, or
   * when `prepare` (what must change outside the config for it, such as the agent's listener) throws a UserError.
   */
  reload(prepare?: (next: Config) => Promise<void>): Promise<boolean>;
  close(): void;
}

export type LoadFlags = NonNullable<LoadOptions['flags']>;

/**
 * Applied to every load and reload before the cycle sees the config: what a command line adds that the file
 * cannot say (`status --checks`, `check NAME -w -c`). Throwing a UserError refuses the load.
 */
export type AdjustConfig = (config: Config, checks: LoadedConfig['checks']) => Config;

/**
 * Where audit records go: the config's audit_log, else the default path, unless the run is one that a monitoring
 * server repeats thousands of times an hour (`argus check`), which audits only where audit_log says so.
 */
const auditPathOf = (config: Config | undefined, io: ProcessIo, byDefault = true): string | undefined =>
  config?.audit_log === false ? undefined : (config?.audit_log ?? (byDefault ? defaultAuditPath(io.env) : undefined));

/** Loads the config and writes the audit record of that load, whether it succeeded or not. */
export async function loadAudited(
  io: ProcessIo,
  flagPath: string | undefined,
  flags: LoadFlags,
  event: 'config_load' | 'config_reload' = 'config_load',
  auditByDefault = true,
): Promise<LoadedConfig> {
  try {
    const loaded = await loadConfig({ flagPath, env: io.env, cwd: io.cwd, flags });
    const path = auditPathOf(loaded.config, io, auditByDefault);
    if (path) appendAudit(path, { event, path: loaded.location.path ?? null, sha256: loaded.sha256 ?? null, ok: true });
    return loaded;
  } catch (error) {
    if (error instanceof ConfigError) {
      const path = auditPathOf(undefined, io, auditByDefault);
      if (path)
        appendAudit(path, {
          event,
          path: error.file ?? null,
          sha256: error.sha256 ?? null,
          ok: false,
          problems: error.issues.length,
        });
    }
    throw error;
  }
}

function logOutputs(
  config: Config,
  io: ProcessIo,
  previous: RotatingFile | undefined,
): { outputs: LogOutput[]; file: RotatingFile | undefined } {
  previous?.close();
  const outputs: LogOutput[] = [{ write: (line) => io.stderr(line) }];
  if (!config.log_file) return { outputs, file: undefined };
  const file = openRotatingFile(config.log_file, { maxBytes: config.log_max_bytes, maxFiles: config.log_max_files });
  outputs.push(file);
  return { outputs, file };
}

export async function createRuntime(
  io: ProcessIo,
  flagPath: string | undefined,
  flags: LoadFlags,
  adjust: AdjustConfig = (config) => config,
  options: { auditByDefault?: boolean } = {},
): Promise<Runtime> {
  const auditByDefault = options.auditByDefault ?? true;
  const loadAdjusted = async (event?: 'config_reload'): Promise<LoadedConfig> => {
    const next = await loadAudited(io, flagPath, flags, event, auditByDefault);
    return { ...next, config: adjust(next.config, next.checks) };
  };
  let loaded = await loadAdjusted();
  let logFile: RotatingFile | undefined;
  const first = logOutputs(loaded.config, io, undefined);
  logFile = first.file;
  const logs = createLogRouter({ level: loaded.config.log_level, outputs: first.outputs });
  const log = logs.logger.child('config');
  for (const warning of loaded.warnings) log.warning(warning);
  log.debug('config loaded', { path: loaded.location.path ?? '(built-in defaults)', origin: loaded.location.origin });
  const cycle = createCycle(loaded.config, {
    checks: loaded.checks,
    hostname: hostname(),
    logger: logs.logger,
    monotonicMs,
    now: () => new Date(),
  });
  return {
    get loaded() {
      return loaded;
    },
    logs,
    cycle,
    audit(event) {
      const path = auditPathOf(loaded.config, io, auditByDefault);
      const error = path ? appendAudit(path, event) : undefined;
      if (error) log.warning(`Cannot write audit log "${path ?? ''}": ${error.message}`);
    },
    async reload(prepare) {
      try {
        const next = await loadAdjusted('config_reload');
        await prepare?.(next.config);
        cycle.configure(next.config, next.checks);
        const outputs = logOutputs(next.config, io, logFile);
        logFile = outputs.file;
        logs.setOutputs(outputs.outputs);
        logs.setLevel(next.config.log_level);
        for (const warning of next.warnings) log.warning(warning);
        loaded = next;
        log.info('config reloaded', { path: next.location.path ?? '(built-in defaults)', sha256: next.sha256 });
        return true;
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        const problems = error instanceof ConfigError ? error.issues : [];
        log.error(`reload refused, keeping the previous config: ${error.message}`, { problems });
        return false;
      }
    },
    close() {
      logFile?.close();
    },
  };
}
