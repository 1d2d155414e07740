import { worstStatus, type Batch } from '../result.ts';
import type { Sink, TerminalDeps } from './sink.ts';

/** One JSON document per line and per cycle (NDJSON), so `argus status -o json | jq` works on the loop too. */
export const renderJsonLine = (batch: Batch, extra: Record<string, unknown> = {}): string =>
  `${JSON.stringify({ timestamp: batch.timestamp, host: batch.host, ...(inContainerScope(batch) ? { scope: 'container' } : {}), status: worstStatus(batch.results.map((result) => result.status)), results: batch.results, ...extra })}\n`;

/** Some figures are a container's (ram, cpu with `scope`): the document says so once, beside the host. */
export const inContainerScope = (batch: Batch): boolean =>
  batch.results.some((result) => result.labels?.scope === 'container');

/** `extra` adds fields to each document: `status -o json --processes 10` adds the top processes. */
export function createJsonSink(deps: Pick<TerminalDeps, 'stdout'>, extra?: () => Record<string, unknown>): Sink {
  return { write: (batch) => deps.stdout(renderJsonLine(batch, extra?.())) };
}
