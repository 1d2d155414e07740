import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO, startAgentOn } from '../helpers/cli.ts';
import { eventually } from '../helpers/eventually.ts';
import { freePort } from '../helpers/loopback-receiver.ts';
import { requireCommand, startPrometheus } from '../helpers/prometheus.ts';

interface Target {
  expr: string;
  refId: string;
  instant?: boolean;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string | { query: string } }[] };
}

const DASHBOARD = join(REPO, 'contrib', 'grafana', 'argus-overview.json');

test('contrib/grafana/argus-overview.json: its variables resolve and every panel query returns data', async (t) => {
  if (!requireCommand(t, 'prometheus')) return;
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
  const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
  assert.ok(panels.length >= 12);
  // The layout: unique ids, inside Grafana's 24 columns, no two panels on the same cells.
  assert.equal(new Set(dashboard.panels.map((panel) => panel.id)).size, dashboard.panels.length);
  const cells = new Set<string>();
  for (const { gridPos, title } of dashboard.panels) {
    assert.ok(gridPos.x + gridPos.w <= 24, title);
    for (let x = gridPos.x; x < gridPos.x + gridPos.w; x += 1)
      for (let y = gridPos.y; y < gridPos.y + gridPos.h; y += 1) {
        assert.ok(!cells.has(`${x},${y}`), `${title} overlaps another panel at ${x},${y}`);
        cells.add(`${x},${y}`);
      }
  }
  // The host variable applies to every query: none reads all hosts whatever is chosen.
  for (const panel of panels)
    for (const target of panel.targets ?? [])
      assert.match(target.expr, /job=~"\$job",instance=~"\$host"/, `${panel.title} ${target.refId}`);

  const agentPort = await freePort();
  const prometheus = await startPrometheus({ scrape: { argus: `127.0.0.1:${agentPort}` } });
  // A disk threshold that every mount passes: the breach panels have a breach to show.
  const agent = startAgentOn(agentPort, { thresholds: { disk: { used_percent: { warn: 0.0001, crit: 99.99 } } } }, [
    '--no-history',
  ]);
  try {
    // rate() over 30 s needs two scrapes; the timelines, a few.
    let firstScrape = 0;
    await eventually(
      async () => {
        const up = await prometheus.query('up{job="argus"} == 1');
        if (up.length > 0 && firstScrape === 0) firstScrape = Date.now();
        return firstScrape > 0 && Date.now() - firstScrape > 5000;
      },
      'Prometheus scraping the agent for 5 s',
      90_000,
    );
    // The dashboard's variables, resolved as Grafana resolves label_values(metric{selector}, label).
    const labelValues = async (definition: string, known: Record<string, string>): Promise<string[]> => {
      const match = /^label_values\((.+), (\w+)\)$/.exec(substitute(definition, known));
      assert.ok(match?.[1] && match[2], definition);
      const label = match[2];
      const found = await prometheus.query(`group by (${label}) (${match[1]})`);
      return found.map((series) => series.metric[label] ?? '').filter((value) => value !== '');
    };
    const known: Record<string, string> = {};
    for (const variable of dashboard.templating.list) {
      if (variable.type !== 'query') continue;
      const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
      const values = await labelValues(query, known);
      assert.ok(values.length > 0, `variable $${variable.name} has values`);
      // A multi-value variable becomes a regex alternation in a Prometheus query, as Grafana formats it (each
      // value regex-escaped, the backslash doubled inside PromQL's string).
      known[variable.name] = `(${values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&')).join('|')})`;
    }
    assert.deepEqual(Object.keys(known), ['job', 'host']);

    const now = Date.now() / 1000;
    const empty: string[] = [];
    for (const panel of panels)
      for (const target of panel.targets ?? []) {
        const expression = substitute(target.expr, known);
        const result =
          target.instant === true || panel.type === 'stat' || panel.type === 'table'
            ? await prometheus.query(expression)
            : await prometheus.queryRange(expression, now - 120, now, 1);
        if (result.length === 0) empty.push(`${panel.title} (${target.refId}): ${expression}`);
        t.diagnostic(`${panel.title} (${target.refId}): ${result.length} series`);
      }
    assert.deepEqual(empty, [], 'queries without data');

    // The breach the threshold made shows in the table, and the thresholds are drawn beside the metrics.
    const breaches = await prometheus.query(substitute('argus_check_status{job=~"$job",instance=~"$host"} > 0', known));
    assert.ok(breaches.some((series) => series.metric.check === 'disk' && series.metric.target === '/'));
  } finally {
    agent.child.kill('SIGTERM');
    await agent.finished;
    await prometheus.stop();
  }
});

/** Grafana's substitution for what a panel query holds: the variables, and the built-in intervals at a 1 s scrape. */
function substitute(expression: string, known: Record<string, string>): string {
  return expression
    .replaceAll('$__rate_interval', '30s')
    .replaceAll('$__range', '5m')
    .replace(/\$(\w+)/g, (whole, name: string) => known[name] ?? whole);
}
