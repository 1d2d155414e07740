// The history thread: SQLite calls are synchronous, so they run here, never on the collection thread.
import { parentPort, workerData } from 'node:worker_threads';
import { HistoryCounters } from './history-counters.ts';
import { HistoryWriter } from './history-writer.ts';
import type { FromWorker, ToWorker, WorkerSettings } from './history-recorder.ts';

const port = parentPort!;
const settings = workerData as WorkerSettings;
const send = (message: FromWorker): void => port.postMessage(message);
const counters = new HistoryCounters(settings.counters);
let taken = 0;

const writer = new HistoryWriter({
  path: settings.path,
  retentionMs: settings.retentionMs,
  log: (level, message, fields) => send({ type: 'log', level, message, ...(fields ? { fields } : {}) }),
  audit: (event) => send({ type: 'audit', event }),
});
writer.start();

port.on('message', (message: ToWorker) => {
  if (message.type === 'cycles') {
    for (const cycle of message.cycles) {
      taken += 1;
      writer.write(cycle);
    }
    counters.publish(writer.stats, taken);
    return;
  }
  writer.close();
  send({ type: 'closed' });
  port.close();
});
