// Bundles the CLI into one CommonJS file that bin/argus.cjs starts with V8's code cache. Modules reached only
// through import() (command actions, the table renderer, the YAML parser) are wrapped by esbuild in lazy
// initialisers, so they are parsed with the file but run only when a command needs them.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: ['src/cli/start.ts'],
  outfile: 'dist/argus.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Whitespace and syntax only: readable identifiers keep the stack traces of `argus` bug reports useful.
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  // Loaded at run time from node_modules, only when used: off Linux, and when a mail is sent.
  external: ['systeminformation', 'nodemailer'],
  define: { ARGUS_VERSION: JSON.stringify(pkg.version) },
  // src/version.ts reads package.json through import.meta only when ARGUS_VERSION is not defined (tests).
  logOverride: { 'empty-import-meta': 'silent' },
  logLevel: 'warning',
});
