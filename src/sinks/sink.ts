import type * as v from 'valibot';
import type { Batch } from '../result.ts';

/**
 * Where a cycle's results go. write() is the one required method.
 * @example const sink: Sink = { write: (batch) => void console.log(batch.results.length) };
 */
export interface Sink {
  write(batch: Batch): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** A sink users configure under `sinks:`; the config schema is assembled from these. */
export interface SinkDefinition<S extends OptionsSchema = OptionsSchema> {
  description: string;
  options: S;
  create(options: v.InferOutput<S>): Sink;
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
}
