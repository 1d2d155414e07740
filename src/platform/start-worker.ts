import { join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';

declare const ARGUS_BUNDLED: boolean | undefined;

/**
 * Starts one of Argus' threads. The bundle ships each as dist/<name>.cjs beside itself; from source (tests) the
 * TypeScript file is loaded through tsx, which a worker does not inherit from the parent's --import.
 */
export function startWorker(
  name: string,
  /** A function: import.meta.url, which names the source, is empty in the CommonJS bundle. */
  source: () => URL,
  options: { workerData?: unknown; resourceLimits?: ResourceLimits },
): Worker {
  if (typeof ARGUS_BUNDLED === 'boolean') return new Worker(join(__dirname, `${name}.cjs`), options);
  return new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source().href)}); })`,
    { ...options, eval: true },
  );
}
