import { readFileSync } from 'node:fs';

declare const ARGUS_VERSION: string | undefined;

/** Inlined by the bundler; read from package.json when running from source (tests). */
export const VERSION: string =
  typeof ARGUS_VERSION === 'string'
    ? ARGUS_VERSION
    : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
