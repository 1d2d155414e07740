import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startAgentOn } from '../helpers/cli.ts';
import { eventually } from '../helpers/eventually.ts';
import { freePort } from '../helpers/loopback-receiver.ts';
import { requireCommand, startPrometheus } from '../helpers/prometheus.ts';

const sampleOf = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

// What Prometheus adds to a scrape of its own accord; the rest must be the same whichever way the series came.
const SCRAPE_MADE = /^(up|scrape_.*)$/;

test(
  'remote write to a real Prometheus: the series of a scrape with the same values, and an outage loses nothing',
  { timeout: 240_000 },
  async (t) => {
    if (!requireCommand(t, 'prometheus')) return;
    const agentPort = await freePort();
    const prometheus = await startPrometheus({
      scrape: { 'argus-scrape': `127.0.0.1:${agentPort}` },
      remoteWriteReceiver: true,
    });
    const agent = startAgentOn(agentPort, {
      sinks: [
        {
          type: 'remote_write',
          name: 'prom',
          url: `http://127.0.0.1:${prometheus.port}/api/v1/write`,
          labels: { job: 'argus-rw' },
        },
      ],
    });
    const selfMetrics = async (): Promise<string> =>
      (await fetch(`http://127.0.0.1:${agentPort}/metrics`).catch(() => undefined))?.text() ?? '';
    const sinkFigure = (text: string, name: string): number | undefined =>
      sampleOf(text, `${name}{sink="prom",type="remote_write"}`);
    try {
      const names = async (job: string): Promise<string[]> =>
        (await prometheus.query(`group by (__name__) ({job="${job}"})`))
          .map((series) => series.metric.__name__ ?? '')
          .filter((name) => !SCRAPE_MADE.test(name))
          .sort();
      // Both ways in, the same series names: node_exporter's and Argus' own.
      let pushed: string[] = [];
      let scraped: string[] = [];
      await eventually(
        async () => {
          [pushed, scraped] = [await names('argus-rw'), await names('argus-scrape')];
          return pushed.length > 100 && pushed.join() === scraped.join();
        },
        'the same series names pushed and scraped',
        60_000,
      ).catch(() => assert.deepEqual(pushed, scraped));
      assert.ok(pushed.includes('node_cpu_seconds_total'));
      assert.ok(pushed.includes('argus_check_status'));

      // The same values where a value does not move between a push and a scrape a second apart.
      for (const selector of [
        'node_memory_MemTotal_bytes',
        'argus_check_status{check="disk",target="/"}',
        'node_uname_info',
      ]) {
        const [fromPush] = await prometheus.query(
          `${selector.replace(/}?$/, (end) => (end ? ',' : '{'))}job="argus-rw"}`,
        );
        const [fromScrape] = await prometheus.query(
          `${selector.replace(/}?$/, (end) => (end ? ',' : '{'))}job="argus-scrape"}`,
        );
        assert.ok(fromPush?.value && fromScrape?.value, selector);
        assert.equal(fromPush.value[1], fromScrape.value[1], selector);
        const own = (labels: Record<string, string>) =>
          Object.fromEntries(Object.entries(labels).filter(([name]) => name !== 'job' && name !== 'instance'));
        assert.deepEqual(own(fromPush.metric), own(fromScrape.metric), selector);
        assert.ok(fromPush.metric.instance, 'instance is the host name by default');
      }

      // The cycles the agent runs from here on, as /api/v1/status shows each (polled faster than it cycles).
      const seenCycles = new Set<number>();
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          const status = await fetch(`http://127.0.0.1:${agentPort}/api/v1/status`).then(
            async (response) => (await response.json()) as { timestamp: string },
            () => undefined,
          );
          if (status) seenCycles.add(Date.parse(status.timestamp) / 1000);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();

      // An outage: Prometheus stops; the agent queues on disk; Prometheus comes back and gets every cycle.
      await prometheus.stop();
      const outageStart = Date.now() / 1000;
      await eventually(
        async () => (sinkFigure(await selfMetrics(), 'argus_sink_points_queued') ?? 0) > 0,
        'samples queued while Prometheus is down',
        30_000,
      );
      // A few cycles into the outage (samples stamped inside it), then Prometheus comes back.
      const queuedAt = Date.now() / 1000;
      await eventually(() => Date.now() / 1000 > queuedAt + 3, 'three more seconds of outage', 10_000);
      const outageEnd = Date.now() / 1000;
      await prometheus.start();
      watching = false;
      await watcher;
      await eventually(
        async () => sinkFigure(await selfMetrics(), 'argus_sink_points_queued') === 0,
        'the outbox drained after Prometheus came back',
        120_000,
      );
      const after = await selfMetrics();
      assert.equal(sinkFigure(after, 'argus_sink_points_rejected_total'), 0, 'Prometheus refused nothing');
      assert.equal(sinkFigure(after, 'argus_sink_points_dropped_total'), 0, 'the outbox dropped nothing');

      // Raw samples of one series over the whole run: those stamped inside the outage arrived, one per cycle.
      const [raw] = await prometheus.query(
        `argus_check_status{job="argus-rw",check="disk",target="/"}[10m]`,
        Date.now() / 1000,
      );
      const stamps = (raw?.values ?? []).map(([at]) => at);
      const inOutage = stamps.filter((at) => at > outageStart && at < outageEnd);
      assert.ok(inOutage.length >= 1, `samples stamped during the outage: ${inOutage.length}`);
      // Every cycle the test saw the agent finish (its /api/v1/status, polled) has its samples in Prometheus.
      const missing = [...seenCycles].filter((at) => !stamps.includes(at));
      assert.ok(seenCycles.size >= 3, `cycles seen: ${seenCycles.size}`);
      assert.deepEqual(missing, [], 'cycles the agent ran whose samples never arrived');
      t.diagnostic(
        `${pushed.length} series names pushed and scraped alike; ${seenCycles.size} cycles seen, all in Prometheus; ` +
          `${inOutage.length} samples of one series stamped during the ${Math.round(outageEnd - outageStart)} s outage`,
      );
      assert.equal(new Set(stamps).size, stamps.length, 'no sample twice');
    } finally {
      agent.child.kill('SIGTERM');
      await agent.finished;
      await prometheus.stop();
    }
  },
);
