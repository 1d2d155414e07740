import type { Config } from '../config/schema.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { Batch } from '../result.ts';
import { sinks } from '../sinks/registry.ts';
import type { Sink, SinkDefinition, SinkDeps, SinkStats } from '../sinks/sink.ts';
import { describeError } from '../errors.ts';

type SinkEntry = Config['sinks'][number];

interface Lane {
  label: string;
  type: string;
  key: string;
  sink: Sink;
  running: Promise<void> | undefined;
  waiting: Batch | undefined;
  failing: boolean;
  dropped: number;
}

export interface SinkWriter {
  /** Hands a batch to every sink and returns at once: a slow sink never delays the next cycle. */
  write(batch: Batch): void;
  /** Re-creates the sinks whose settings changed; the others keep their files and queues. */
  configure(entries: readonly SinkEntry[]): Promise<void>;
  /** Waits for what is in flight, then closes every sink. */
  close(): Promise<void>;
  /** Per sink: batches dropped because it was behind, and its own delivery counters when it keeps any. */
  stats(): { label: string; type: string; droppedBatches: number; delivery?: SinkStats }[];
}

const labelOf = (entry: SinkEntry, index: number): string => entry.name ?? `${entry.type}#${index}`;

/**
 * Each sink gets a lane with at most one batch in flight and one waiting; a newer batch replaces the waiting one
 * (counted as dropped), so memory stays bounded however slow a sink is. A failing sink is logged once, not per cycle.
 */
export function createSinkWriter(
  entries: readonly SinkEntry[],
  logger: Logger,
  stateDir = '',
  scrape?: SinkDeps['scrape'],
): SinkWriter {
  const log = logger.child('sinks');
  let lanes: Lane[] = [];

  const open = (entry: SinkEntry, index: number): Lane => {
    const definition: SinkDefinition = sinks[entry.type];
    const label = labelOf(entry, index);
    let sink: Sink;
    try {
      sink = definition.create(entry, { label, logger, stateDir, scrape });
    } catch (error) {
      throw new UserError(`Cannot start sink "${label}": ${describeError(error)}`, {
        hint: `check sinks[${index}] in the config`,
        cause: error,
      });
    }
    return {
      label,
      type: entry.type,
      key: JSON.stringify(entry),
      sink,
      running: undefined,
      waiting: undefined,
      failing: false,
      dropped: 0,
    };
  };

  const drain = (lane: Lane): void => {
    const batch = lane.waiting;
    if (!batch || lane.running) return;
    lane.waiting = undefined;
    lane.running = Promise.resolve()
      .then(() => lane.sink.write(batch))
      .then(
        () => {
          if (lane.failing) log.info(`sink "${lane.label}" works again`);
          lane.failing = false;
        },
        (error: unknown) => {
          if (!lane.failing) log.warning(`sink "${lane.label}" failed: ${describeError(error)}`);
          lane.failing = true;
        },
      )
      .finally(() => {
        lane.running = undefined;
        drain(lane);
      });
  };

  const closeLane = async (lane: Lane): Promise<void> => {
    while (lane.running) await lane.running;
    try {
      await lane.sink.close?.();
    } catch (error) {
      log.warning(`sink "${lane.label}" did not close cleanly: ${describeError(error)}`);
    }
  };

  lanes = entries.map(open);
  return {
    write(batch) {
      for (const lane of lanes) {
        if (lane.waiting) {
          lane.dropped += 1;
          log.warning(`sink "${lane.label}" is behind; dropped a batch`, { dropped_total: lane.dropped });
        }
        lane.waiting = batch;
        drain(lane);
      }
    },
    async configure(next) {
      const keep = new Map(lanes.map((lane) => [lane.key, lane]));
      const fresh = next.flatMap((entry, index) => {
        const key = JSON.stringify(entry);
        const kept = keep.get(key);
        keep.delete(key);
        if (kept) return [kept];
        try {
          return [open(entry, index)];
        } catch (error) {
          // On reload a sink that cannot start is left out; monitoring and the other sinks go on.
          log.error((error as Error).message);
          return [];
        }
      });
      await Promise.all([...keep.values()].map(closeLane));
      lanes = fresh;
    },
    async close() {
      await Promise.all(lanes.map(closeLane));
      lanes = [];
    },
    stats() {
      return lanes.map((lane) => {
        const delivery = lane.sink.stats?.();
        return { label: lane.label, type: lane.type, droppedBatches: lane.dropped, ...(delivery ? { delivery } : {}) };
      });
    },
  };
}
