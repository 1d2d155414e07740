import type { Batch } from '../result.ts';

/**
 * Where a cycle's results go. write() is the one required method.
 * @example const sink: Sink = { write: (batch) => void console.log(batch.results.length) };
 */
export interface Sink {
  write(batch: Batch): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** Side effects come in here, so tests pass fakes. */
export interface TerminalDeps {
  stdout: (text: string) => void;
  isTTY: boolean;
  color: boolean;
  columns: number;
}
