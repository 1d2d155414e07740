import { hostname } from 'node:os';
import { createAlerting } from './alerting.ts';
import type { AlertJournal } from './alert-journal.ts';
import { defaultStateDir } from '../platform/xdg-dirs.ts';
import { monotonicMs } from '../platform/monotonic.ts';
import type { Config } from '../config/schema.ts';
import type { Batch } from '../result.ts';
import { runSchedule } from './schedule.ts';
import { createSinkWriter, type SinkWriter } from './sink-writer.ts';
import { historyPath } from '../store/history-path.ts';
import type { HistoryRecorder } from '../store/history-recorder.ts';
import type { HistoryStats } from '../store/history-writer.ts';
import type { ProcessIo } from './process-io.ts';
import { applyV8Flags } from './v8-flags.ts';
import type { Runtime } from './runtime.ts';

export interface LoopHooks {
  /** One cycle and exit (`status --once`): no alert state, no SIGHUP. */
  once: boolean;
  /** Record history: true/false from a flag; undefined follows storage.sqlite.enabled for loops, off for --once. */
  history: boolean | undefined;
  /** V8 flags for this command's loop (LOOP_V8_FLAGS in loop-v8-flags.ts); not applied with once. */
  v8Flags?: readonly string[];
  /** What the command does with a cycle's batch: print it, serve it (with the sinks' counters, for /metrics). */
  onCycle(
    batch: Batch,
    loop: { sinkStats: SinkWriter['stats']; historyStats: () => HistoryStats | undefined },
  ): Promise<void> | void;
  /** Before a valid config is taken on a SIGHUP: what else it needs (a listener); a UserError refuses the reload. */
  prepareReload?: (next: Config) => Promise<void>;
  /** After every SIGHUP reload, with whether it was accepted. */
  onReload?(ok: boolean): Promise<void> | void;
  /** Called once the loop runs; the loop ends when signal aborts (SIGINT, SIGTERM) or after one cycle with once. */
  signal?: AbortSignal;
  /** Where alert events and their deliveries are kept for the dashboard (the agent's). */
  alertJournal?: AlertJournal;
  /** What /metrics would serve for a batch: the remote-write sink sends it (SinkDeps.scrape). */
  scrape?: ((batch: Batch) => Promise<string>) | undefined;
}

/** SQLite loads only when history is recorded: a one-shot run stays as light as it was. */
async function startHistory(runtime: Runtime, io: ProcessIo, wanted: boolean): Promise<HistoryRecorder | undefined> {
  const config = runtime.loaded.config;
  if (!wanted) return undefined;
  const { startHistoryRecorder } = await import('../store/history-recorder.ts');
  return startHistoryRecorder({
    path: historyPath(config, io.env),
    retentionSeconds: config.storage.sqlite.retention,
    intervalMs: () => runtime.cycle.config.poll_interval * 1000,
    logger: runtime.logs.logger,
    audit: (event) => runtime.audit(event),
  });
}

/**
 * The collection loop that `status` and `agent` share: checks on the schedule, history, configured sinks and
 * alerts, SIGHUP reloads (coalesced, the latest file wins), and a clean stop on SIGINT or SIGTERM.
 */
export async function runLoop(io: ProcessIo, runtime: Runtime, hooks: LoopHooks): Promise<void> {
  const log = runtime.logs.logger.child('loop');
  const config = runtime.loaded.config;
  const v8Flags = hooks.once ? [] : (hooks.v8Flags ?? []);
  applyV8Flags(v8Flags);
  const sinkWriter = createSinkWriter(config.sinks, runtime.logs.logger, defaultStateDir(io.env), hooks.scrape);
  const loopView = { sinkStats: () => sinkWriter.stats(), historyStats: () => history?.stats() };
  const wantsHistory = (): boolean => hooks.history ?? (!hooks.once && runtime.loaded.config.storage.sqlite.enabled);
  let history = await startHistory(runtime, io, wantsHistory());
  let storageKey = JSON.stringify(config.storage);
  // Alert state only means something across cycles: the loop tracks it, a one-shot run does not.
  const alerting = hooks.once
    ? undefined
    : createAlerting({
        settings: config.alerts,
        stateDir: defaultStateDir(io.env),
        host: hostname(),
        logger: runtime.logs.logger,
        audit: (event) => runtime.audit(event),
        ...(hooks.alertJournal ? { journal: hooks.alertJournal } : {}),
      });
  const controller = new AbortController();
  const { signal } = controller;
  hooks.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  let reloading: Promise<unknown> | undefined;
  let reloadAgain = false;
  const requestReload = (): void => {
    if (reloading) {
      reloadAgain = true;
      return;
    }
    reloading = runtime
      .reload(hooks.prepareReload)
      .then(async (ok) => {
        if (ok) {
          alerting?.configure(runtime.loaded.config.alerts);
          await sinkWriter.configure(runtime.loaded.config.sinks);
          // A new path, retention or on/off takes a new history writer; unchanged settings keep the open database.
          const nextKey = JSON.stringify(runtime.loaded.config.storage);
          if (nextKey !== storageKey) {
            storageKey = nextKey;
            const previous = history;
            history = undefined;
            await previous?.close();
            history = await startHistory(runtime, io, wantsHistory());
          }
        }
        await hooks.onReload?.(ok);
      })
      .finally(() => {
        reloading = undefined;
        if (reloadAgain) {
          reloadAgain = false;
          requestReload();
        }
      });
  };
  const stop = (): void => {
    if (!signal.aborted) log.info('stopping');
    controller.abort();
  };
  const unsubscribe = [io.onSignal('SIGINT', stop), io.onSignal('SIGTERM', stop)];
  if (!hooks.once) unsubscribe.push(io.onSignal('SIGHUP', requestReload));
  try {
    await runtime.cycle.prime(signal, config.sample_window * 1000);
    if (hooks.once) {
      const batch = await runtime.cycle.run(signal);
      sinkWriter.write(batch);
      await hooks.onCycle(batch, loopView);
      history?.record(batch);
      return;
    }
    log.info('loop started', { interval_seconds: config.poll_interval, checks: config.enabled_checks.join(',') });
    await runSchedule({
      intervalMs: () => runtime.cycle.config.poll_interval * 1000,
      runCycle: async () => {
        const batch = await runtime.cycle.run(signal);
        if (signal.aborted) return;
        history?.record(batch);
        sinkWriter.write(batch);
        await hooks.onCycle(batch, loopView);
        alerting?.observe(batch);
      },
      signal,
      monotonicMs,
      logger: runtime.logs.logger,
    });
  } finally {
    for (const off of unsubscribe) off();
    await reloading;
    // Side by side: the agent has 10 s to stop, and each of these bounds its own wait.
    await Promise.all([sinkWriter.close(), history?.close()]);
    alerting?.close();
  }
}
