// How much of Grafana's "Node Exporter Full" dashboard works with Argus in node_exporter's place (issue #17).
// A real Prometheus (Debian's) scrapes node_exporter (Debian's prometheus-node-exporter, default collectors) and
// the agent side by side; the dashboard's variables are resolved per job as Grafana resolves them (from
// node_uname_info), and every panel's queries are run for each job. A panel "shows data" when one of its queries
// returns a series. The figure is the share of the panels node_exporter fills that Argus fills too.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Panel {
  title?: string;
  type?: string;
  panels?: Panel[];
  targets?: { expr?: string }[];
}

export interface PanelCoverage {
  nodeExporterVersion: string;
  /** Panels with at least one query. */
  panels: number;
  filledByNodeExporter: number;
  filledByArgus: number;
  /** filledByBoth / filledByNodeExporter. */
  ratio: number;
  /** Panels node_exporter fills and Argus does not, by title. */
  missing: string[];
  variables: Record<string, { nodename: string[]; node: string[] }>;
}

const DASHBOARD = join(import.meta.dirname, 'fixtures', 'node-exporter-full.json');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function panelsOf(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((panel) => [
    ...(panel.targets?.some((target) => target.expr) ? [panel] : []),
    ...panelsOf(panel.panels ?? []),
  ]);
}

type Series = { metric: Record<string, string> }[];

export async function measurePanelCoverage(cli: string, settleSeconds = 40): Promise<PanelCoverage | null> {
  for (const command of ['prometheus', 'prometheus-node-exporter'])
    if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) {
      console.error(`grafana-panels: ${command} is not installed; skipped`);
      return null;
    }
  const dir = mkdtempSync(join(tmpdir(), 'argus-grafana-'));
  const [nodePort, argusPort, promPort] = [await freePort(), await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  try {
    children.push(
      spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${nodePort}`], { stdio: 'ignore' }),
    );
    writeFileSync(join(dir, 'argus.json'), JSON.stringify({ server: { listen: `127.0.0.1:${argusPort}` } }));
    children.push(
      spawn(process.execPath, [cli, 'agent', '--no-history', '-c', join(dir, 'argus.json')], {
        stdio: 'ignore',
        env: { ...process.env, XDG_STATE_HOME: join(dir, 'state'), XDG_DATA_HOME: join(dir, 'data') },
      }),
    );
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 2s',
        'scrape_configs:',
        `  - job_name: node\n    static_configs:\n      - targets: ["127.0.0.1:${nodePort}"]`,
        `  - job_name: argus\n    static_configs:\n      - targets: ["127.0.0.1:${argusPort}"]`,
        '',
      ].join('\n'),
    );
    children.push(
      spawn(
        'prometheus',
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'tsdb')}`,
          `--web.listen-address=127.0.0.1:${promPort}`,
        ],
        { stdio: 'ignore' },
      ),
    );
    const query = async (expression: string): Promise<Series> => {
      const url = `http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expression)}`;
      // A scalar or string result (a panel's constant) is not a series: it shows no data either way.
      const answer = (await (await fetch(url)).json()) as { status: string; data?: { result: unknown } };
      return answer.status === 'success' && Array.isArray(answer.data?.result) ? (answer.data.result as Series) : [];
    };
    const started = Date.now();
    while (Date.now() - started < 60_000) {
      const up = await query('up == 1').catch((): Series => []);
      if (up.length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // rate() over $__rate_interval needs samples across it: wait past it.
    await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));

    const labelValues = async (expression: string, label: string): Promise<string[]> =>
      [...new Set((await query(expression)).map((series) => series.metric[label] ?? ''))].sort();
    const variables: PanelCoverage['variables'] = {};
    const filled: Record<string, Set<number>> = {};
    const panels = panelsOf((JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] }).panels);
    for (const job of ['node', 'argus']) {
      // The dashboard's own variable queries (templating.list): job, nodename, node.
      const nodename = await labelValues(`node_uname_info{job="${job}"}`, 'nodename');
      const node = await labelValues(`node_uname_info{job="${job}",nodename="${nodename[0] ?? ''}"}`, 'instance');
      variables[job] = { nodename, node };
      const hits = new Set<number>();
      for (const [index, panel] of panels.entries()) {
        for (const target of panel.targets ?? []) {
          if (!target.expr) continue;
          const expression = target.expr
            .replaceAll('$job', job)
            .replaceAll('$node', node[0] ?? '')
            .replaceAll('$nodename', nodename[0] ?? '')
            // Grafana's $__rate_interval at a 2 s scrape interval is 8 s; 30 s leaves room for jitter.
            .replaceAll('$__rate_interval', '30s');
          if ((await query(expression).catch((): Series => [])).length > 0) {
            hits.add(index);
            break;
          }
        }
      }
      filled[job] = hits;
    }
    const byNode = filled.node ?? new Set<number>();
    const byArgus = filled.argus ?? new Set<number>();
    const both = [...byNode].filter((index) => byArgus.has(index));
    const about = spawnSync('prometheus-node-exporter', ['--version'], { encoding: 'utf8' });
    const version = /version (\S+)/.exec(`${about.stdout}${about.stderr}`)?.[1];
    return {
      nodeExporterVersion: version ?? 'unknown',
      panels: panels.length,
      filledByNodeExporter: byNode.size,
      filledByArgus: byArgus.size,
      ratio: byNode.size === 0 ? 0 : both.length / byNode.size,
      missing: [...byNode].filter((index) => !byArgus.has(index)).map((index) => panels[index]?.title ?? `#${index}`),
      variables,
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cli = join(import.meta.dirname, '..', 'bin', 'argus.cjs');
  const result = await measurePanelCoverage(cli, Number(process.env.BENCH_SETTLE_SECONDS ?? 40));
  console.log(JSON.stringify(result, null, 2));
}
