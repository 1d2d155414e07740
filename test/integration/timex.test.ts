import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { startAgentOn } from '../helpers/cli.ts';
import { eventually } from '../helpers/eventually.ts';
import { parseExposition, type ParsedFamily } from '../helpers/exposition-text.ts';
import { freePort } from '../helpers/loopback-receiver.ts';
import { requireCommand } from '../helpers/prometheus.ts';

// Values that move between two reads a moment apart on a clock NTP is steering; the others must be equal.
const MOVING: Readonly<Record<string, number>> = {
  node_timex_offset_seconds: 0.01,
  node_timex_frequency_adjustment_ratio: 1e-6,
  node_timex_maxerror_seconds: 0.1,
  node_timex_estimated_error_seconds: 0.1,
};

test('the timex collector reads what node_exporter reads on this machine: names, help, types and values', async (t) => {
  if (!requireCommand(t, 'prometheus-node-exporter')) return;
  const [agentPort, nodePort] = [await freePort(), await freePort()];
  const agent = startAgentOn(agentPort, { exporters: { enabled: [] } }, ['--no-history']);
  const nodeExporter = spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${nodePort}`], {
    stdio: 'ignore',
  });
  try {
    const scrape = async (port: number): Promise<Map<string, ParsedFamily>> =>
      parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    let ours = new Map<string, ParsedFamily>();
    let theirs = new Map<string, ParsedFamily>();
    await eventually(
      async () => {
        [ours, theirs] = await Promise.all([scrape(agentPort), scrape(nodePort)]).catch(() => [ours, theirs]);
        return ours.has('node_timex_status') && theirs.has('node_timex_status');
      },
      'both exporters serving node_timex_*',
      30_000,
    );
    const names = [...theirs.keys()].filter((name) => name.startsWith('node_timex_')).sort();
    assert.equal(names.length, 17);
    assert.deepEqual([...ours.keys()].filter((name) => name.startsWith('node_timex_')).sort(), names);
    for (const name of names) {
      const [mine, reference] = [ours.get(name), theirs.get(name)];
      assert.equal(mine?.help, reference?.help, name);
      assert.equal(mine?.type, reference?.type, name);
      const [a, b] = [mine?.series.get(''), reference?.series.get('')];
      assert.ok(a !== undefined && b !== undefined, name);
      const tolerance = MOVING[name] ?? 0;
      assert.ok(Math.abs(a - b) <= tolerance, `${name}: ${a} against node_exporter's ${b}`);
    }
    assert.equal(ours.get('node_scrape_collector_success')?.series.get('{collector="timex"}'), 1);
  } finally {
    agent.child.kill('SIGTERM');
    await agent.finished;
    nodeExporter.kill('SIGTERM');
  }
});
