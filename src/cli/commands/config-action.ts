import { redactSecrets } from '../../log/redact.ts';
import type { Io } from '../io.ts';
import { loadAudited } from '../../engine/runtime.ts';

export async function checkConfig(io: Io, options: { config?: string; output: 'yaml' | 'json' }): Promise<void> {
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
}
