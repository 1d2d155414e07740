// Bundles the CLI into one CommonJS file that bin/argus.cjs starts with V8's code cache. Modules reached only
// through import() (command actions, the table renderer) are wrapped by esbuild in lazy initialisers, so they are
// parsed with the file but run only when a command needs them; the YAML parser is a file of its own (below).
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync('dist', { recursive: true, force: true });

/**
 * node:child_process (and node:net, which it loads) cost ~3.5 ms at start, and commander requires it on load for
 * executable subcommands Argus does not use. Every import of it gets a stand-in that loads the real module on
 * first use (a spawn), so a one-shot run that starts no process never pays for it.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.namespace === 'lazy-builtin'
        ? { path: 'node:child_process', external: true }
        : { path: 'child_process', namespace: 'lazy-builtin' },
    );
    // ESM with named exports, not a CJS proxy: esbuild's interop copies a CJS module's keys, which would load it.
    // spawn is all Argus and commander use; anything else the bundle asks for fails the build, not a run.
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: `import { createRequire } from 'node:module';
let real;
const load = () => (real ??= createRequire(__filename)('node:child_process'));
export const spawn = (...args) => load().spawn(...args);`,
      loader: 'js',
    }));
  },
};

/**
 * The YAML parser is a third of what the bundle would be, and only a config file's first parse (src/config/
 * parsed-cache.ts keeps the result) or printing YAML needs it: it is its own file, dist/yaml.cjs, which
 * bin/argus.cjs loads through the code cache as it does the bundle.
 */
const yamlChunk = {
  name: 'yaml-chunk',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: './yaml.cjs', external: true }));
  },
};

const shared = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Identifiers too: a one-shot run reads and deserializes a third less (~4 ms of `status --once`). The map beside
  // the bundle (no sources in it) gives bug reports their source files, lines and names back
  // (src/cli/original-stack.ts); it is read only when a bug is reported.
  minify: true,
  sourcemap: 'external',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
};

await build({
  ...shared,
  stdin: { contents: "export * from 'yaml';", resolveDir: process.cwd(), sourcefile: 'yaml-chunk.js' },
  outfile: 'dist/yaml.cjs',
});

await build({
  ...shared,
  // The bcrypt thread is a file of its own: a worker starts from a file, and bcrypt stays out of the CLI's start-up.
  entryPoints: {
    argus: 'src/cli/start.ts',
    'bcrypt-worker': 'src/server/bcrypt-worker.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  // Loaded at run time from node_modules, only when used: off Linux, and when a mail is sent.
  // better-sqlite3 is a native addon, loaded from node_modules by the history thread and `argus report`.
  external: ['systeminformation', 'nodemailer', 'better-sqlite3', 'esbuild'],
  define: { ARGUS_VERSION: JSON.stringify(pkg.version), ARGUS_BUNDLED: 'true' },
  // src/version.ts reads package.json through import.meta only when ARGUS_VERSION is not defined (tests).
  logOverride: { 'empty-import-meta': 'silent' },
  plugins: [lazyChildProcess, yamlChunk],
  // scripts/string-width.cjs says why.
  alias: { 'string-width': './scripts/string-width.cjs' },
});

/**
 * The browser's scripts (src/web: the report's charts, the dashboard) with uPlot bundled in, and the chart style:
 * dist/web/, read by src/platform/web-assets.ts. Entries and options are shared with source runs.
 */
const web = JSON.parse(readFileSync(new URL('./web-build.json', import.meta.url), 'utf8'));
for (const [name, entry] of Object.entries(web.entries))
  await build({ ...web.options, entryPoints: [`src/web/${entry}`], outfile: `dist/web/${name}` });
writeFileSync(
  'dist/web/charts.css',
  readFileSync('node_modules/uplot/dist/uPlot.min.css', 'utf8') + readFileSync('src/web/charts.css', 'utf8'),
);
writeFileSync('dist/web/dashboard.css', readFileSync('src/web/dashboard.css', 'utf8'));
