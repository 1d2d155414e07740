// Bundles the CLI into dist/ so that `argus` starts without resolving hundreds of module files.
// Heavy modules that only some commands need (yaml, systeminformation) are split into lazy chunks.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: { argus: 'bin/argus.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'none',
  external: ['systeminformation'],
  define: { ARGUS_VERSION: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __argusCreateRequire } from 'node:module';\nconst require = __argusCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
