import type { BoundExporter, ExporterContext } from '../exporters/exporter.ts';
import { family } from './metric-names.ts';
import { createExposition } from './exposition.ts';

const DURATION = family(
  'node_scrape_collector_duration_seconds',
  'gauge',
  'node_exporter: Duration of a collector scrape.',
);
const SUCCESS = family('node_scrape_collector_success', 'gauge', 'node_exporter: Whether a collector succeeded.');

export interface NodeSeries {
  /** node_exporter's series as text, at most maxAgeMs old; scrapes that come while it is read share that read. */
  text(): Promise<string>;
}

/**
 * node_exporter's series for /metrics, read from the host when scraped, as node_exporter does, so rate() over them
 * is as fresh as Prometheus asks for, not a cycle old. Two scrapes within maxAgeMs (or while a read runs) get the
 * same text: a flood of scrapes costs one read a second. An exporter that fails says so in
 * node_scrape_collector_success and leaves the others be.
 */
export function createNodeSeries(options: {
  /** The exporters to run, asked at each read: a reload can change them. */
  exporters: () => Readonly<Record<string, BoundExporter>>;
  context: () => ExporterContext;
  maxAgeMs: number;
  monotonicMs: () => number;
}): NodeSeries {
  let cached: { text: string; atMs: number } | undefined;
  let reading: Promise<string> | undefined;

  const read = async (): Promise<string> => {
    const startedAt = options.monotonicMs();
    const context = options.context();
    const out = createExposition();
    const runs = await Promise.all(
      Object.entries(options.exporters()).map(async ([name, exporter]) => {
        const started = options.monotonicMs();
        const seconds = (): number => (options.monotonicMs() - started) / 1000;
        try {
          const samples = await exporter.collect(context);
          return { name, samples, ok: true, seconds: seconds() };
        } catch {
          return { name, samples: [], ok: false, seconds: seconds() };
        }
      }),
    );
    for (const run of runs) for (const sample of run.samples) out.add(sample.family, sample.labels, sample.value);
    for (const run of runs) {
      out.add(DURATION, { collector: run.name }, run.seconds);
      out.add(SUCCESS, { collector: run.name }, run.ok ? 1 : 0);
    }
    const text = out.render();
    cached = { text, atMs: startedAt };
    return text;
  };

  return {
    text() {
      if (cached && options.monotonicMs() - cached.atMs < options.maxAgeMs) return Promise.resolve(cached.text);
      reading ??= read().finally(() => (reading = undefined));
      return reading;
    },
  };
}
