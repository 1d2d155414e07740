import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { REPO } from '../helpers/cli.ts';

/** Lints source text as if it were the given file of src/, with the project's own config. */
async function importProblems(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: REPO, overrideConfig: { rules: { '@typescript-eslint/no-unused-vars': 'off' } } });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('lint refuses an import against the layers, type imports included, and lets the allowed ones through', async () => {
  const engineFromCheck = await importProblems(
    'src/checks/cpu.ts',
    "import type { Runtime } from '../engine/runtime.ts';\nexport type X = Runtime;\n",
  );
  assert.match(engineFromCheck[0] ?? '', /checks\/ may import only async, collect, format, platform, schema/);
  const configFromLog = await importProblems(
    'src/log/logger.ts',
    "import type { Config } from '../config/schema.ts';\nexport type X = Config;\n",
  );
  assert.equal(configFromLog.length, 1, 'the type-only circle the reshaping issue found is refused');
  const cliFromEngine = await importProblems(
    'src/engine/loop.ts',
    "import { main } from '../cli/main.ts';\nvoid main;\n",
  );
  assert.equal(cliFromEngine.length, 1);
  const allowed = await importProblems(
    'src/checks/ram.ts',
    "import { readMeminfo } from '../collect/meminfo.ts';\nvoid readMeminfo;\n",
  );
  assert.deepEqual(allowed, []);
});
