import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/ and what each may import (docs/architecture.md, "Layers"): arrows point down, from the
 * composition roots (cli, server, engine) to the small helpers (async, format, platform). Every folder not listed
 * for a folder is refused to it, type imports included; errors.ts, result.ts and version.ts are open to all.
 * Tests may import anything.
 */
const ALLOWED_IMPORTS = {
  async: [],
  format: [],
  platform: [],
  schema: ['async', 'platform'],
  net: ['async', 'platform', 'schema'],
  log: ['platform'],
  outbox: ['async', 'log', 'platform'],
  collect: ['async', 'format', 'platform', 'schema'],
  checks: ['async', 'collect', 'format', 'platform', 'schema'],
  exporters: ['async', 'collect', 'format', 'platform', 'schema'],
  sinks: ['async', 'format', 'log', 'net', 'outbox', 'platform', 'schema'],
  alerts: ['async', 'format', 'log', 'platform'],
  notifiers: ['alerts', 'async', 'format', 'log', 'net', 'outbox', 'platform', 'schema'],
  store: ['async', 'format', 'log', 'platform'],
  charts: ['format'],
  report: ['charts', 'format', 'platform', 'store'],
  config: ['async', 'checks', 'exporters', 'format', 'log', 'net', 'notifiers', 'platform', 'schema', 'sinks'],
  // prettier-ignore
  engine: ['alerts', 'async', 'checks', 'collect', 'config', 'exporters', 'format', 'log', 'net', 'notifiers', 'outbox', 'platform', 'schema', 'sinks', 'store'],
  // prettier-ignore
  server: ['async', 'charts', 'checks', 'collect', 'config', 'engine', 'exporters', 'format', 'log', 'net', 'platform', 'schema', 'store'],
  // prettier-ignore
  tui: ['async', 'checks', 'collect', 'config', 'engine', 'exporters', 'format', 'log', 'platform', 'schema', 'store'],
};
const LAYERS = [...Object.keys(ALLOWED_IMPORTS), 'cli'];

const layerRules = Object.entries(ALLOWED_IMPORTS).map(([layer, allowed]) => {
  const refused = LAYERS.filter((other) => other !== layer && !allowed.includes(other));
  return {
    files: [`src/${layer}/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${refused.join('|')})/`,
              message: `${layer}/ may import only ${allowed.join(', ') || 'node: modules and the top-level types'} (eslint.config.js, ALLOWED_IMPORTS)`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'coverage/', 'node_modules/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs', 'bin/*.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use a string union, not an enum' }],
    },
  },
  {
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'readonly', __dirname: 'readonly', process: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { URL: 'readonly', process: 'readonly', console: 'readonly' },
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  ...layerRules,
);
