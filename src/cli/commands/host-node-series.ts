import { createAdjtimexReader } from '../../collect/adjtimex.ts';
import type { FsStats } from '../../collect/host.ts';
import { createMountProbe } from '../../collect/mount-probe.ts';
import type { Runtime } from '../../engine/runtime.ts';
import { bindExporters } from '../../exporters/registry.ts';
import { monotonicMs } from '../../platform/monotonic.ts';
import { privateRuntimeDir } from '../../platform/runtime-dir.ts';
import { createNodeSeries, type NodeSeries } from '../../server/node-series.ts';

/** node_exporter's series are read at most once a second, however often /metrics is scraped. */
const NODE_SERIES_MAX_AGE_MS = 1000;

/** node_exporter's series of this host, with the collectors and options the config selects now. */
export function createHostNodeSeries(runtime: Runtime): NodeSeries {
  // statfs of network and FUSE mounts for the filesystem exporter: out of process, 5 s at most (node_exporter's).
  const mountProbe = createMountProbe({ timeoutMs: 5000, maxOutstanding: 8, lockDir: () => privateRuntimeDir() });
  const probeMount = async (path: string): Promise<FsStats | string> => {
    const answer = await mountProbe(path);
    return answer.kind === 'stats' ? answer.stats : answer.kind;
  };
  // The kernel clock is the host's from any container (time namespaces leave adjtimex alone).
  const clock = createAdjtimexReader();
  // The collectors and their options follow the config: bound again after a reload changed it.
  let bound = { config: runtime.cycle.config, exporters: bindExporters(runtime.cycle.config.exporters) };
  return createNodeSeries({
    exporters: () => {
      const config = runtime.cycle.config;
      if (bound.config !== config) bound = { config, exporters: bindExporters(config.exporters) };
      return bound.exporters;
    },
    context: () => ({ host: runtime.cycle.host, probeMount, adjtimex: () => clock.read() }),
    maxAgeMs: NODE_SERIES_MAX_AGE_MS,
    monotonicMs,
  });
}
