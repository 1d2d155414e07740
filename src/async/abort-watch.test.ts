import assert from 'node:assert/strict';
import { test } from 'node:test';
import { watchAbort } from './abort-watch.ts';

test('watchAbort() tells every watcher still watching, once, with the reason', () => {
  const controller = new AbortController();
  const heard: string[] = [];
  watchAbort(controller.signal, (reason) => heard.push(`a:${String(reason)}`));
  const stop = watchAbort(controller.signal, () => heard.push('b'));
  watchAbort(controller.signal, (reason) => heard.push(`c:${String(reason)}`));
  stop();
  controller.abort('bye');
  controller.abort('again');
  assert.deepEqual(heard, ['a:bye', 'c:bye']);
});

test('watchAbort() on a signal that has already aborted calls at once', () => {
  const heard: unknown[] = [];
  const stop = watchAbort(AbortSignal.abort('gone'), (reason) => heard.push(reason));
  stop();
  assert.deepEqual(heard, ['gone']);
});

test('watchAbort() adds one listener to a signal, however many runs watch it', () => {
  const controller = new AbortController();
  let added = 0;
  const add = controller.signal.addEventListener.bind(controller.signal);
  controller.signal.addEventListener = (...args: Parameters<typeof add>) => {
    added += 1;
    add(...args);
  };
  for (let run = 0; run < 100; run += 1) watchAbort(controller.signal, () => {})();
  assert.equal(added, 1);
});
