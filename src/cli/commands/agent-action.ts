import { createBurstGc } from '../../platform/burst-gc.ts';
import type Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { parseListenAddress, type ListenAddress } from '../../net/listen-address.ts';
import type { Config } from '../../config/schema.ts';
import { mustStayOnLoopback } from '../../config/server-schema.ts';
import { UnavailableError, UserError } from '../../errors.ts';
import { historyPath } from '../../store/history-path.ts';
import { monotonicMs } from '../../platform/monotonic.ts';
import type { Batch } from '../../result.ts';
import { createProcessesApi } from '../../server/processes-api.ts';
import { dashboardFiles } from '../../server/dashboard-files.ts';
import { createAlertJournal } from '../../engine/alert-journal.ts';
import type { HistoryAnswer } from '../../server/history-api.ts';
import { mainMetrics } from '../../checks/chart-lines.ts';
import { createApp, type Handler, type MetricsBody, type Snapshot } from '../../server/app.ts';
import { createAuthenticator, DEFAULT_AUTH_LIMITS } from '../../server/auth.ts';
import { renderExposition } from '../../server/exposition.ts';
import { startHttpServer, type RunningServer } from '../../server/http-server.ts';
import { selfMetrics, type SelfState } from '../../server/self-metrics.ts';
import { renderJsonLine } from '../../sinks/json.ts';
import type { Io } from '../io.ts';
import { createHostNodeSeries } from './host-node-series.ts';
import { mapErrorStacks } from '../original-stack.ts';
import { describeError } from '../../errors.ts';
import { applyV8Flags, LOOP_V8_FLAGS } from '../../engine/v8-flags.ts';
import { createOptimizingCompiler, type OptimizingCompiler } from '../../engine/optimizing-compiler.ts';
import { runLoop } from '../../engine/loop.ts';
import { createRuntime, type LoadFlags, type Runtime } from '../../engine/runtime.ts';

export interface AgentOptions {
  config?: string;
  logLevel?: string;
  /** --no-history */
  history?: boolean;
}

// Scrapes in flight get this long after SIGTERM; sinks and history flush meanwhile, all within 10 s.
const SHUTDOWN_DEADLINE_MS = 2000;

/** Names a Host header may carry: loopback names always, the bound address, this host, and what the config adds. */
export function allowedHostsOf(server: Config['server'], address: ListenAddress): ReadonlySet<string> | undefined {
  if (server.allowed_hosts.includes('*')) return undefined;
  const names = ['localhost', '127.0.0.1', '::1', hostname(), ...server.allowed_hosts];
  if (address.host !== '' && address.host !== '0.0.0.0' && address.host !== '::') names.push(address.host);
  return new Set(names.map((name) => name.toLowerCase()));
}

const listenKey = (server: Config['server']): string =>
  JSON.stringify([server.listen, server.tls, server.max_connections]);

function createHandler(
  runtime: Runtime,
  state: Parameters<typeof createApp>[0]['state'],
  compiler: OptimizingCompiler,
): Handler {
  const server = runtime.loaded.config.server;
  const log = runtime.logs.logger.child('server');
  const address = parseListenAddress(server.listen) as ListenAddress;
  return createApp({
    state,
    // The agent's V8 flags hold the young generation small; a worker's start resets them. bcryptjs needs TurboFan.
    auth: createAuthenticator(server.auth, {
      ...DEFAULT_AUTH_LIMITS,
      onThreadStart: () => {
        applyV8Flags(LOOP_V8_FLAGS.agent);
        compiler.enable('the bcrypt thread started');
      },
    }),
    allowedHosts: allowedHostsOf(server, address),
    monotonicMs,
    onError: (error, request) => {
      mapErrorStacks(error);
      log.error(`${request.method} ${request.path} failed: ${describeError(error)}`, {
        stack: (error as Error | undefined)?.stack ?? String(error),
      });
    },
  }).handle;
}

/**
 * The headless daemon: the collection loop of `status` without a table, plus the HTTP server that serves its
 * last cycle. SIGHUP reloads (the listener moves only when its address or TLS settings changed, and the old
 * one closes only after the new one is bound); SIGTERM stops within the shutdown deadline.
 */
export async function runAgent(io: Io, options: AgentOptions): Promise<void> {
  const flags: LoadFlags = {};
  if (options.logLevel !== undefined) flags.log_level = { value: options.logLevel, flag: '--log-level' };
  const runtime = await createRuntime(io, options.config, flags);
  const log = runtime.logs.logger.child('agent');
  // Before the history database and the listener: opening them is the first work V8 would optimize.
  const compiler = createOptimizingCompiler({
    // Three requests in 2 s that waited over 10 ms for their turn: ≈ 1 ms is usual even at 8 connections flat out.
    // Tests that must see what else switches it on, however loaded their machine, set a wait never reached.
    queuedMs: Number(io.env.ARGUS_TEST_QUEUED_MS ?? 10),
    queuedRequests: 3,
    windowMs: 2000,
    onEnable: (reason) => log.debug('optimizing compiler on', { reason }),
  });
  const self: SelfState = { reloadOk: true, lastReloadSuccessSeconds: Date.now() / 1000 };
  let lastBatch: Batch = { timestamp: new Date().toISOString(), host: hostname(), results: [] };
  let lastTick = monotonicMs();
  let snapshot: Snapshot = render();

  function render(): Snapshot {
    const config = runtime.cycle.config;
    const metrics = renderExposition({
      batch: lastBatch,
      checks: runtime.loaded.checks,
      thresholds: config.thresholds,
      self: selfMetrics(self),
    });
    return { metrics: Buffer.from(metrics), status: Buffer.from(renderJsonLine(lastBatch)) };
  }

  const history = createHistoryReader(runtime, io, options.history !== false);
  const nodeSeries = createHostNodeSeries(runtime);
  let body: (MetricsBody & { node: string; snapshot: Snapshot }) | undefined;
  let dashboard: ReturnType<typeof dashboardFiles> | undefined;
  const alertJournal = createAlertJournal(hostname());
  // More than 20 scrapes a second (a Prometheus asks once in 15 s) is a flood: collect fully while it lasts and
  // once after, so that what it promoted does not stay in the old generation (#15, 8).
  const burstGc = process.env.ARGUS_TEST_NO_BURST_GC
    ? undefined
    : createBurstGc({ windowMs: 5000, busyPerWindow: 100 });
  const state = {
    snapshot: () => snapshot,
    async metrics(): Promise<MetricsBody> {
      burstGc?.work();
      const node = await nodeSeries.text();
      if (body?.node !== node || body.snapshot !== snapshot)
        body = { node, snapshot, plain: Buffer.concat([Buffer.from(node), snapshot.metrics]) };
      return body;
    },
    lastTickMs: () => lastTick,
    intervalMs: () => runtime.cycle.config.poll_interval * 1000,
    // Answers from history decode thousands of samples, the work the optimizing compiler is for.
    history: (query: URLSearchParams) => {
      compiler.enable('history was asked for');
      return history.answer(query);
    },
    charts: (query: URLSearchParams) => {
      compiler.enable('charts were asked for');
      return history.charts(query);
    },
    processes: createProcessesApi({ host: () => runtime.cycle.host, monotonicMs }),
    alerts: () =>
      Buffer.from(
        `${JSON.stringify({ enabled: runtime.loaded.config.alerts.enabled, events: alertJournal.entries() })}\n`,
      ),
    // Built on the first visit: an agent only ever scraped never holds the page or its compressed forms.
    dashboard: () => (dashboard ??= dashboardFiles(mainMetrics())),
  };
  let handler = createHandler(runtime, state, compiler);
  const serve: Handler = (request, response) => {
    compiler.tick();
    return handler(request, response);
  };
  let serverKey = listenKey(runtime.loaded.config.server);
  let server: RunningServer | undefined;
  const stopping = new AbortController();
  let lost: UnavailableError | undefined;
  try {
    server = await startHttpServer(serverOptions(runtime.loaded.config.server, serve));
    log.info('listening', { url: server.url });
    await runLoop(io, runtime, {
      once: false,
      history: options.history === false ? false : undefined,
      v8Flags: LOOP_V8_FLAGS.agent,
      signal: stopping.signal,
      alertJournal,
      // Remote write sends what a scrape right after this cycle would get: node series read now, Argus' own.
      scrape: async (batch) =>
        (await nodeSeries.text()) +
        renderExposition({
          batch,
          checks: runtime.loaded.checks,
          thresholds: runtime.cycle.config.thresholds,
          self: selfMetrics(self),
        }),
      onCycle: (batch, loop) => {
        const started = Date.parse(batch.timestamp);
        self.sinks = loop.sinkStats();
        self.history = loop.historyStats();
        lastBatch = batch;
        lastTick = monotonicMs();
        self.lastCycleSeconds = Date.now() / 1000;
        self.lastCycleDurationSeconds = Math.max(0, (Date.now() - started) / 1000);
        snapshot = render();
      },
      // The listener moves before the new config is taken: an address that cannot be bound refuses the reload,
      // and the agent keeps serving where it was.
      prepareReload: async (next) => {
        const nextKey = listenKey(next.server);
        if (nextKey === serverKey || !server) return;
        const moved = await moveListener({
          current: server,
          from: runtime.loaded.config.server,
          to: next.server,
          serve,
        }).catch((error: unknown) => {
          // Neither the new address nor the old one could be bound: nothing serves, so the agent stops (69).
          lost = new UnavailableError(`Cannot serve any more: ${(error as Error).message}`, { cause: error });
          stopping.abort();
          throw lost;
        });
        server = moved.active;
        if (moved.refused) throw moved.refused;
        serverKey = nextKey;
        log.info('listening', { url: moved.active.url });
      },
      onReload: (ok) => {
        self.reloadOk = ok;
        if (ok) {
          self.lastReloadSuccessSeconds = Date.now() / 1000;
          handler = createHandler(runtime, state, compiler);
        }
        snapshot = render();
      },
    });
    if (lost) throw lost;
  } finally {
    burstGc?.stop();
    await server?.close(SHUTDOWN_DEADLINE_MS);
    history.close();
    runtime.close();
  }
}

/**
 * /api/v1/history reads the database the loop writes, through its own read-only connection on this thread (WAL
 * lets it read while the loop writes). Opened on the first query, and again after a reload moves it.
 */
function createHistoryReader(runtime: Runtime, io: Io, enabled: boolean) {
  let open: { path: string; db: Database.Database } | undefined;
  /** The database, opened on first use and again when a reload moved it; an answer when there is none. */
  const database = async (): Promise<Database.Database | HistoryAnswer> => {
    const config = runtime.loaded.config;
    const { historyError } = await import('../../server/history-api.ts');
    if (!enabled || !config.storage.sqlite.enabled)
      return historyError(404, 'history is off for this agent (storage.sqlite.enabled)');
    const path = historyPath(config, io.env);
    const { openHistoryForReading } = await import('../../store/history-read.ts');
    if (open?.path !== path) {
      open?.db.close();
      open = undefined;
      try {
        open = { path, db: openHistoryForReading(path) };
      } catch (error) {
        if (error instanceof UserError) return historyError(404, error.message);
        throw error;
      }
    }
    return open.db;
  };
  const isAnswer = (value: Database.Database | HistoryAnswer): value is HistoryAnswer => 'body' in value;
  return {
    answer: async (query: URLSearchParams) => {
      const db = await database();
      if (isAnswer(db)) return db;
      const { answerHistoryQuery } = await import('../../server/history-api.ts');
      return answerHistoryQuery(db, query);
    },
    charts: async (query: URLSearchParams) => {
      const db = await database();
      if (isAnswer(db)) return db;
      const { answerChartsQuery } = await import('../../server/charts-api.ts');
      const { mainMetricOf, metricLines } = await import('../../checks/chart-lines.ts');
      const thresholds = runtime.cycle.config.thresholds;
      return answerChartsQuery(db, query, {
        describe: (check, instance, metric) => metricLines(check, instance, metric, thresholds),
        mainMetric: mainMetricOf,
      });
    },
    close: () => open?.db.close(),
  };
}

const serverOptions = (settings: Config['server'], handler: Handler) => ({
  address: parseListenAddress(settings.listen) as ListenAddress,
  handler,
  maxConnections: settings.max_connections,
  tls: settings.tls,
  requireLoopback: mustStayOnLoopback(settings),
});

/**
 * Binds the new address, then closes the old one. When the two overlap (the same port on another address, or new
 * TLS files for the same address), the kernel refuses the second bind while the first is open: the old listener
 * closes first, and is bound again if the new one still fails. `refused` says why the move did not happen;
 * `active` is the listener serving now, whichever it is.
 */
async function moveListener(move: {
  current: RunningServer;
  from: Config['server'];
  to: Config['server'];
  serve: Handler;
}): Promise<{ active: RunningServer; refused?: UserError }> {
  const { current, from, to, serve } = move;
  const refusal = (error: unknown) =>
    new UserError(`${(error as Error).message}; still serving ${current.url}`, { cause: error });
  try {
    const next = await startHttpServer(serverOptions(to, serve));
    await current.close(SHUTDOWN_DEADLINE_MS);
    return { active: next };
  } catch (error) {
    const inUse = (error as { cause?: NodeJS.ErrnoException }).cause?.code === 'EADDRINUSE';
    if (!inUse || (parseListenAddress(to.listen)?.port ?? -1) !== current.address.port)
      return { active: current, refused: refusal(error) };
  }
  await current.close(SHUTDOWN_DEADLINE_MS);
  try {
    return { active: await startHttpServer(serverOptions(to, serve)) };
  } catch (error) {
    // Back where it was; if even that fails, the agent cannot serve and stops (69: systemd starts it again).
    return { active: await startHttpServer(serverOptions(from, serve)), refused: refusal(error) };
  }
}
