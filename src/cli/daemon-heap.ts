import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's young generation at the size it has when a loop starts.
 *
 * V8 doubles the young generation (up to 16 MiB a semi-space) once enough objects have survived scavenges since
 * the last growth, which a burst of scrapes brings about within seconds, and shrinks it only after allocation has
 * gone quiet. A daemon that allocates in small bursts (a cycle, a scrape) gains nothing from the bigger nursery but
 * RSS: `npm run bench` (s4) measured ~5 MiB less after 100,000 scrapes, at the same CPU per scrape.
 * `--max-semi-space-size` would do it too, but V8 reads that once, when the heap is set up, so it only works from
 * the command line (the systemd unit sets it); the growth factor is read each time V8 considers growing, so setting
 * it at run time works for `argus agent` and `argus status` however they are started. Starting a worker thread puts
 * every V8 flag back to its default (Node 20; daemon-heap.test.ts shows it), so the loop calls this again once the
 * history thread is online. One-shot commands (`status --once`, `report`) do not call it: their short burst is what
 * a big nursery is for.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
