import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's young generation at the size it has when the agent's loop starts.
 *
 * V8 doubles the young generation (up to 16 MiB a semi-space) once enough objects have survived scavenges since
 * the last growth, which a burst of scrapes brings about within seconds, and shrinks it only after allocation has
 * gone quiet. The agent gains nothing from the bigger nursery but RSS: `npm run bench` (s4) measured ~4 MiB less
 * after 100,000 scrapes, at the same CPU per scrape. The status loop does not call this: without bursts, a nursery
 * held small only means more scavenges (GC time per cycle doubled at a 1 s interval), and one-shot commands want
 * the big nursery for their short burst.
 * `--max-semi-space-size` would do it too, but V8 reads that once, when the heap is set up, so it only works from
 * the command line (the systemd unit sets it); the growth factor is read each time V8 considers growing, so setting
 * it at run time works however the agent is started. Starting a worker thread puts every V8 flag back to its
 * default (Node 20; daemon-heap.test.ts shows it), so the loop calls this again once the history thread is online.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
