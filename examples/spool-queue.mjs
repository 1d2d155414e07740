// An Argus plugin check: how many files wait in a spool directory (a mail queue, an upload inbox, a job
// directory) and how old the oldest one is. Load it with
//
//   plugins: [./examples/spool-queue.mjs]      # relative to the config file
//   enabled_checks: [cpu, ram, disk, spool_queue]
//   checks:
//     spool_queue: { directories: [/var/spool/postfix/deferred] }
//   thresholds:
//     spool_queue:
//       files: { warn: 100, crit: 1000 }
//       oldest_seconds: { warn: 3600 }
//
// A plugin exports a function that receives Argus' own defineCheck and valibot (v), so it needs no
// dependencies, or exports the check itself. It runs on Argus' event loop: keep it quick and asynchronous.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export default ({ defineCheck, v }) =>
  defineCheck({
    name: 'spool_queue',
    description: 'Files waiting in spool directories, and the age of the oldest',
    categories: ['queue', 'plugin'],
    options: v.strictObject({
      directories: v.pipe(v.array(v.string()), v.minLength(1)),
      max_files: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 100_000),
    }),
    metrics: [
      { name: 'files', unit: 'count', help: 'Files waiting' },
      { name: 'oldest_seconds', unit: 'seconds', help: 'Age of the oldest waiting file' },
      { name: 'bytes', unit: 'bytes', help: 'Size of the waiting files' },
    ],
    mainMetric: 'files',
    defaultThresholds: { files: { warn: 100, crit: 1000 } },
    create:
      (options) =>
      async ({ signal }) =>
        Promise.all(
          options.directories.map(async (directory) => {
            let entries;
            try {
              entries = await readdir(directory, { recursive: true, withFileTypes: true });
            } catch (error) {
              return {
                instance: directory,
                metrics: {},
                unknown: `cannot read "${directory}": ${error.code ?? error.message}`,
              };
            }
            const now = Date.now();
            let files = 0;
            let bytes = 0;
            let oldest = now;
            for (const entry of entries.slice(0, options.max_files)) {
              if (signal.aborted) break;
              if (!entry.isFile()) continue;
              const info = await stat(join(entry.parentPath ?? entry.path, entry.name)).catch(() => undefined);
              if (!info) continue; // delivered while we looked
              files += 1;
              bytes += info.size;
              oldest = Math.min(oldest, info.mtimeMs);
            }
            return {
              instance: directory,
              metrics: { files, oldest_seconds: files === 0 ? 0 : (now - oldest) / 1000, bytes },
            };
          }),
        ),
    summarize: ({ instance, metrics }) =>
      `${instance}: ${metrics.files} files waiting${metrics.files ? `, oldest ${Math.round(metrics.oldest_seconds)}s` : ''}`,
  });
