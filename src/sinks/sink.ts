import type * as v from 'valibot';
import type { Logger } from '../log/logger.ts';
import type { Batch } from '../result.ts';

/**
 * Where a cycle's results go. write() is the one required method.
 * @example const sink: Sink = { write: (batch) => void console.log(batch.results.length) };
 */
export interface Sink {
  write(batch: Batch): void | Promise<void>;
  close?(): void | Promise<void>;
  /** Delivery counters for /metrics, for sinks that deliver later than write() returns. */
  stats?(): SinkStats;
}

/** Points, since the agent started: delivered, refused by the receiver, dropped from a full queue, waiting. */
export interface SinkStats {
  sentPoints: number;
  rejectedPoints: number;
  droppedPoints: number;
  queuedPoints: number;
}

/** What a configured sink may use besides its options; tests pass their own. */
export interface SinkDeps {
  /** The sink's name in logs: its `name`, else "<type>#<index>". */
  label: string;
  logger: Logger;
  /** Where a sink keeps state across restarts (an outbox): $XDG_STATE_HOME/argus by default. */
  stateDir: string;
  /**
   * What a scrape of /metrics would return for this batch (Prometheus text format): the remote-write sink sends
   * exactly that. Given by commands that build the exposition (agent, status); absent in one-shot runs.
   */
  scrape?: ((batch: Batch) => Promise<string>) | undefined;
}

/** A sink users configure under `sinks:`; the config schema is assembled from these. */
export interface SinkDefinition<S extends OptionsSchema = OptionsSchema> {
  description: string;
  options: S;
  create(options: v.InferOutput<S>, deps: SinkDeps): Sink;
  /** Cross-field rules, reported at the field they are about (exactly one of database or bucket). */
  validate?(options: v.InferOutput<S>): { key: string; message: string } | undefined;
}

export type OptionsSchema = v.StrictObjectSchema<v.ObjectEntries, undefined>;

export function defineSink<S extends OptionsSchema>(definition: SinkDefinition<S>): SinkDefinition<S> {
  return definition; // exists only for type inference of create()'s options
}

/** Side effects come in here, so tests pass fakes. */
export interface TerminalDeps {
  stdout: (text: string) => void;
  isTTY: boolean;
  color: boolean;
  columns: number;
  /** The terminal's size now (it can be resized between cycles); on a terminal the table fits it. */
  size?: () => { columns: number; rows: number };
  /** Log lines to show under the table instead of on stderr, which shares the terminal and would tear the frame. */
  messages?: () => readonly string[];
}
