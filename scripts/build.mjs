// Bundles the CLI into dist/ so that `argus` starts without resolving hundreds of module files.
// Heavy modules that only some commands need (yaml, systeminformation) are split into lazy chunks.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: { argus: 'bin/argus.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Whitespace and syntax only: readable identifiers keep the stack traces of `argus` bug reports useful.
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  external: ['systeminformation'],
  define: { ARGUS_VERSION: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __argusCreateRequire } from 'node:module';\nconst require = __argusCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
