import type * as V8 from 'node:v8';
import { requireBuiltin } from '../platform/require-builtin.ts';

/**
 * V8 flags for the two commands that run a loop for hours. V8's defaults suit code that runs hot; a monitor runs
 * each function once a cycle, so in a loop two of them cost memory and CPU and buy nothing. Set at run time, not
 * on the command line, so they hold however Argus is started (`npx`, the systemd unit, a shell); process-wide,
 * so they cover the agent's bcrypt thread too. One-shot commands (`status --once`, `report`) keep V8's defaults: a
 * report decodes hundreds of thousands of samples and wants the optimizing compiler.
 */
export const LOOP_V8_FLAGS = {
  /**
   * The agent keeps V8's young generation at the size it has when the loop starts. V8 doubles it (up to 16 MiB a
   * semi-space) once enough objects have survived scavenges since the last growth, which a burst of scrapes brings
   * about within seconds, and shrinks it only after allocation has gone quiet. The agent gains nothing from the
   * bigger nursery but RSS: `npm run bench` (s4) measured ~4 MiB less after 100,000 scrapes, at the same CPU per
   * scrape. `--max-semi-space-size` would do it too, but V8 reads that once, when the heap is set up; the growth
   * factor is read each time V8 considers growing. The status loop has no bursts: there a nursery held small only
   * means more scavenges (GC time per cycle doubled at a 1 s interval).
   * TurboFan comes on in the agent only when there is work for it (OPTIMIZING_COMPILER_FLAGS, below). Kept at the
   * baseline compiler for good, the agent was smaller (as the systemd unit runs it: 53.5 -> 49.4 MiB idle, 60.1 ->
   * 53.3 MiB after a 10-minute `wrk -c8` soak) but failed what #15 is about: under 200 connections wrk saw 5-22
   * timeouts and a p99 of ~1.1 s at ~9,200 scrapes a second, and a valid scraper's p99 behind a 200-request
   * password flood rose to 111-124 ms (goal: < 100). With TurboFan: 0 errors at 200 connections, p99 225 ms at
   * ~40,500 scrapes a second, and 36-53 ms behind the flood.
   */
  agent: ['--semi-space-growth-factor=1'],
  /**
   * `argus top` too: its refresh keeps the process table of every process alive for a frame, enough survivors for
   * V8 to double the nursery again and again. `bench/top.ts` (120x40, 375 processes, 2 s refresh, 60 s), side by
   * side on 2026-12-05: RSS 85.5 -> 68.1 MiB, CPU 0.87 -> 0.80 % of a core (fewer pages touched by each scavenge).
   */
  top: ['--semi-space-growth-factor=1'],
  /**
   * The status loop stops at the baseline compiler (Sparkplug): no TurboFan. Its compiles ran on a helper thread
   * for minutes after start (≈ 0.5 ms of CPU a second at `-i 1`, still two minutes in) and its own code is pages
   * of the node binary that are touched only when it runs (≈ 3 MiB, /proc/PID/smaps and pagemap). `argus status
   * -i 1` over 60 s from 3 s after start, this build against the one before, two runs each: 4.9–5.1 → 4.2–4.4 ms
   * of CPU a second, RSS 66.5–69.0 → 60.3–61.1 MiB. Baseline code costs the main thread ≈ 0.2 ms a second more
   * than optimized code would, which the helper thread's savings pay for.
   * And no memory reducer: V8 arms it when the old generation first grows, and it then runs full GCs whenever
   * allocation is slow, which in a loop that allocates 56 KB a second is always: 8 s in, twice, in both isolates,
   * marking on four helper threads, and the tight heap limit it leaves makes later full GCs more frequent. Isolates
   * made from now on (a worker thread) get none; the main one's was made at start-up, and can only ever start
   * incremental marking, which `--no-incremental-marking` rules out. Full GCs are then atomic, which for a heap of
   * 5 MB takes 2-4 ms. `argus status -i 1` side by side with the build before, 6 minutes: the first minute 0.44 ->
   * 0.33 % of a core, later ones 0.32-0.35 -> 0.28-0.33 %; alone, 0.27 % from 3 s (per-thread schedstat, 0.37 %
   * before). RSS 56.5-56.9 -> 57.9-58.2 MiB, flat: the ordinary GC at the old generation's limit bounds the heap.
   */
  status: ['--max-opt=1', '--no-memory-reducer', '--no-incremental-marking'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The agent's two tiers (engine/optimizing-compiler.ts switches between them): up to the baseline compiler while
 * idle, and V8's defaults once work comes. `--max-opt` below 3 also turns `--turbofan` off, which `--max-opt` alone
 * does not turn back on.
 */
export const OPTIMIZING_COMPILER_FLAGS = {
  off: ['--max-opt=1'],
  on: ['--max-opt=999', '--turbofan'],
} as const satisfies Record<string, readonly string[]>;

/** Starting a worker thread puts some flags back to their defaults (Node 20), so loops apply these again after. */
export function applyV8Flags(flags: readonly string[]): void {
  if (flags.length === 0) return;
  // V8 rejects a code cache made under other flags: bin/argus.cjs writes this run's now, while V8 has its defaults.
  const saveCompileCache = (globalThis as Record<symbol, (() => void) | undefined>)[
    Symbol.for('argus.saveCompileCache')
  ];
  saveCompileCache?.();
  // node:v8 loads Node's stream modules (heap snapshots are streams): ~1.5 ms that one-shot runs skip.
  (requireBuiltin('node:v8') as typeof V8).setFlagsFromString(flags.join(' '));
}
