// The history worker thread: SQLite calls are synchronous, so they run here, never on the collection thread.
import { parentPort, workerData } from 'node:worker_threads';
import { HistoryWriter } from './history-writer.ts';
import type { FromWorker, ToWorker, WorkerSettings } from './history-recorder.ts';

const port = parentPort!;
const settings = workerData as WorkerSettings;
const send = (message: FromWorker): void => port.postMessage(message);

const writer = new HistoryWriter({
  path: settings.path,
  retentionMs: settings.retentionMs,
  log: (level, message, fields) => send({ type: 'log', level, message, ...(fields ? { fields } : {}) }),
  audit: (event) => send({ type: 'audit', event }),
});

port.on('message', (message: ToWorker) => {
  if (message.type === 'cycle') {
    writer.write(message.cycle);
    send({ type: 'stats', stats: writer.stats });
    return;
  }
  writer.close();
  send({ type: 'closed' });
  port.close();
});
