import { worstStatus, type Batch } from '../result.ts';
import type { Sink, TerminalDeps } from './sink.ts';

/** One JSON document per line and per cycle (NDJSON), so `argus status -o json | jq` works on the loop too. */
export const renderJsonLine = (batch: Batch): string =>
  `${JSON.stringify({ timestamp: batch.timestamp, host: batch.host, status: worstStatus(batch.results.map((result) => result.status)), results: batch.results })}\n`;

export function createJsonSink(deps: Pick<TerminalDeps, 'stdout'>): Sink {
  return { write: (batch) => deps.stdout(renderJsonLine(batch)) };
}
