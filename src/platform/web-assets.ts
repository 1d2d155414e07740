import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BuildOptions, buildSync } from 'esbuild';

declare const ARGUS_BUNDLED: boolean | undefined;

/** What the browser is sent: the pages' scripts (src/web, uPlot bundled in), the chart style (uPlot's and ours), the dashboard's. */
export type WebAssetName = 'report.js' | 'dashboard.js' | 'charts.css' | 'dashboard.css';

const loaded = new Map<WebAssetName, string>();

/**
 * The text of a web asset. The build writes them to dist/web/ beside the bundle (scripts/build.mjs); from source
 * (tests, `npm run` without a build) they are built here, with the same esbuild options, on first use.
 */
export function webAsset(name: WebAssetName): string {
  let text = loaded.get(name);
  if (text === undefined) {
    text = typeof ARGUS_BUNDLED === 'boolean' ? readFileSync(join(__dirname, 'web', name), 'utf8') : fromSource(name);
    loaded.set(name, text);
  }
  return text;
}

function fromSource(name: WebAssetName): string {
  const require = createRequire(import.meta.url);
  const web = new URL('../web/', import.meta.url).pathname;
  if (name === 'charts.css')
    return (
      readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8') + readFileSync(join(web, 'charts.css'), 'utf8')
    );
  if (name.endsWith('.css')) return readFileSync(join(web, name), 'utf8');
  // The build's own entries and options (scripts/web-build.json), so a source run serves what a package would.
  const { entries, options } = JSON.parse(
    readFileSync(new URL('../../scripts/web-build.json', import.meta.url), 'utf8'),
  ) as {
    entries: Record<string, string>;
    options: BuildOptions;
  };
  const esbuild = require('esbuild') as { buildSync: typeof buildSync };
  const built = esbuild.buildSync({ ...options, entryPoints: [join(web, entries[name]!)], write: false });
  return built.outputFiles[0]!.text;
}
