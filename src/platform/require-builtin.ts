import { createRequire } from 'node:module';

/**
 * Loads a Node builtin on first use. In our CommonJS bundle an import() would start the ESM loader (~4 ms), and
 * a static import of node:crypto costs ~3 ms on every run, hashing or not. The base path is irrelevant for builtins.
 */
export const requireBuiltin = createRequire('/');
