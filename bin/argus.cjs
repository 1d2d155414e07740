#!/usr/bin/env node
'use strict';
// Starts dist/argus.cjs with V8's code cache, so repeated one-shot runs skip most of the compile work:
// Node 22.1+ has module.enableCompileCache(); on Node 20 the same is done with vm.Script's cachedData.
// The cache lives in a directory only this user can write (it holds code that will be executed).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');

const bundle = path.join(__dirname, '..', 'dist', 'argus.cjs');
// Called by the bundle before it changes V8's flags (src/cli/loop-v8-flags.ts).
const SAVE_COMPILE_CACHE = Symbol.for('argus.saveCompileCache');

function privateCacheDir() {
  if (process.env.ARGUS_NO_COMPILE_CACHE) return undefined;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const dir = path.join(base, 'argus', `compile-${process.version}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stats = fs.statSync(dir);
    const mine = typeof process.getuid !== 'function' || stats.uid === process.getuid();
    return mine && (stats.mode & 0o022) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

const pendingCacheWrites = [];
const savePendingCaches = () => {
  for (const write of pendingCacheWrites.splice(0)) write();
};
// Set once a loop has changed V8's flags: a cache made from then on would carry them, and one made under the
// defaults would be "rejected" and overwritten with it (a chunk first loaded by a SIGHUP reload), so none is written.
let flagsChanged = false;

/**
 * Runs a CommonJS file of dist/ from V8's code cache (`<name>-<size>-<mtime>.bin` in dir), writing the cache when
 * there was none or V8 rejected it. V8 stamps a cache with its flags and rejects it under others: a loop that sets
 * flags at run time (src/cli/loop-v8-flags.ts) has the caches written just before, so the next run, started with
 * V8's defaults, can use them; every other command writes them at exit, with the functions it compiled since.
 */
function runCached(file, dir, name) {
  const vm = require('node:vm');
  const stats = fs.statSync(file);
  const cacheFile = path.join(dir, `${name}-${stats.size}-${Math.trunc(stats.mtimeMs)}.bin`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  if ((!cachedData || script.cachedDataRejected) && !flagsChanged) {
    pendingCacheWrites.push(() => {
      try {
        const temporary = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(temporary, cacheFile);
        // Caches of earlier builds are dead weight after an upgrade.
        for (const old of fs.readdirSync(dir)) {
          // Only code caches: parsed configs (config-<hash>.json) live here too.
          if (old.startsWith(`${name}-`) && old.endsWith('.bin') && old !== path.basename(cacheFile))
            fs.rmSync(path.join(dir, old), { force: true });
        }
      } catch {
        // A read-only home or a full disk only costs speed.
      }
    });
  }
  const loaded = new Module(file, module);
  loaded.filename = file;
  loaded.paths = Module._nodeModulePaths(path.dirname(file));
  script
    .runInThisContext()
    .call(loaded.exports, loaded.exports, requireFor(loaded, dir), loaded, file, path.dirname(file));
  return loaded.exports;
}

/**
 * The bundle's require(): its chunks (dist/yaml.cjs, which only a config file's first parse needs) come from the
 * code cache as the bundle does; anything else is an ordinary require.
 */
function requireFor(parent, dir) {
  const chunks = new Map();
  return (id) => {
    const chunk = /^\.\/([a-z-]+)\.cjs$/.exec(id);
    if (!chunk) return parent.require(id);
    if (!chunks.has(id))
      chunks.set(id, runCached(path.join(path.dirname(parent.filename), id), dir, `chunk-${chunk[1]}`));
    return chunks.get(id);
  };
}

function runWithVmCache(dir) {
  // One cache per command: each holds the functions its command compiled.
  const command = /^[a-z]+$/.test(process.argv[2] || '') ? process.argv[2] : 'other';
  globalThis[SAVE_COMPILE_CACHE] = () => {
    savePendingCaches();
    flagsChanged = true;
  };
  process.once('exit', savePendingCaches);
  runCached(bundle, dir, command);
}

// import() inside a vm.Script compiled from cachedData has no loader callback on Node 20, so the bundle imports
// plugins and optional packages through this function, which lives in an ordinary module (src/import-module.ts).
globalThis[Symbol.for('argus.import')] = (specifier) => import(specifier);

const dir = privateCacheDir();
// The bundle also caches parsed config files here (src/config/parsed-cache.ts); this is the one place that checks it.
if (dir) globalThis[Symbol.for('argus.cacheDir')] = dir;
if (dir && typeof Module.enableCompileCache === 'function') {
  Module.enableCompileCache(dir);
  // Node 22.10+ can write its cache on demand; older 22.x write it at exit, under whatever flags are set by then.
  if (typeof Module.flushCompileCache === 'function') globalThis[SAVE_COMPILE_CACHE] = () => Module.flushCompileCache();
  require(bundle);
} else if (dir) {
  runWithVmCache(dir);
} else {
  require(bundle);
}
