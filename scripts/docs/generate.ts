// `npm run docs`: the reference pages generated from the code (config schema, check definitions, exported series,
// command tree). test/docs.test.ts fails when a committed page differs from what this writes.
import { writeFileSync } from 'node:fs';
import * as prettier from 'prettier';
import { join } from 'node:path';
import { checksPage } from './checks.ts';
import { cliPage } from './cli.ts';
import { configurationPage } from './configuration.ts';
import { metricsPage } from './metrics.ts';

export const DOCS = join(import.meta.dirname, '..', '..', 'docs');

/** Each page as committed: generated, then formatted as `npm run lint` wants it (prettier). */
export async function generatedPages(): Promise<Record<string, string>> {
  const pages = await rawPages();
  const formatted: Record<string, string> = {};
  for (const [name, text] of Object.entries(pages)) {
    const filepath = join(DOCS, name);
    formatted[name] = await prettier.format(text, { ...(await prettier.resolveConfig(filepath)), filepath });
  }
  return formatted;
}

async function rawPages(): Promise<Record<string, string>> {
  return {
    'configuration.md': configurationPage(),
    'checks.md': checksPage(),
    'metrics.md': await metricsPage(),
    'cli.md': cliPage(),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pages = await generatedPages();
  for (const [name, text] of Object.entries(pages)) writeFileSync(join(DOCS, name), text);
  console.log(`wrote ${Object.keys(pages).join(', ')} in docs/`);
}
