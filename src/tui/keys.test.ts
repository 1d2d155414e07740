import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionOf, KEY_BINDINGS, splitKeys } from './keys.ts';
import { applyAction, editFilter, initialViewState } from './view-state.ts';

test('one read of a raw terminal splits into keys, escape sequences kept whole', () => {
  assert.deepEqual(splitKeys('mq'), ['m', 'q']);
  assert.deepEqual(splitKeys('\x1b[A\x1b[6~j'), ['\x1b[A', '\x1b[6~', 'j']);
  assert.deepEqual(splitKeys('\x1bOH'), ['\x1bOH']);
  assert.deepEqual(splitKeys('\x1b'), ['\x1b'], 'Esc alone');
  assert.deepEqual(splitKeys('日x'), ['日', 'x']);
});

test('every key maps to one action and no sequence is bound twice', () => {
  const sequences = KEY_BINDINGS.flatMap((binding) => binding.sequences);
  assert.equal(new Set(sequences).size, sequences.length);
  assert.equal(actionOf('q'), 'quit');
  assert.equal(actionOf('\x03'), 'quit');
  assert.equal(actionOf('t'), 'tree');
  assert.equal(actionOf('Z'), undefined);
});

test('actions change the view: sort, tree, pause, interval steps, scrolling', () => {
  let state = initialViewState(2);
  state = applyAction(state, 'sort-memory', 10);
  assert.equal(state.sort, 'memory');
  state = applyAction(state, 'sort-next', 10);
  assert.equal(state.sort, 'io');
  for (const action of ['sort-next', 'sort-next'] as const) state = applyAction(state, action, 10);
  assert.equal(state.sort, 'cpu', 'the sort order wraps');
  assert.equal(applyAction(state, 'sort-time', 10).sort, 'time');
  assert.equal(applyAction(state, 'sort-io', 10).sort, 'io');
  assert.equal(applyAction(applyAction(state, 'sort-memory', 10), 'sort-cpu', 10).sort, 'cpu');
  assert.equal(applyAction(state, 'tree', 10).tree, true);
  assert.equal(applyAction(state, 'kernel-threads', 10).kernelThreads, true);
  assert.equal(applyAction(state, 'pause', 10).paused, true);
  assert.equal(applyAction(state, 'help', 10).help, true);
  assert.equal(applyAction(state, 'quit', 10), state);
  assert.equal(applyAction(state, 'slower', 10).intervalSeconds, 3);
  assert.equal(applyAction(state, 'faster', 10).intervalSeconds, 1);
  assert.equal(applyAction({ ...state, intervalSeconds: 60 }, 'slower', 10).intervalSeconds, 60);
  assert.equal(applyAction({ ...state, intervalSeconds: 0.5 }, 'faster', 10).intervalSeconds, 0.5);
  state = applyAction(state, 'page-down', 10);
  state = applyAction(state, 'down', 10);
  assert.equal(state.scroll, 11);
  state = applyAction(applyAction(state, 'up', 10), 'page-up', 10);
  assert.equal(state.scroll, 0);
  assert.equal(applyAction(state, 'page-up', 10).scroll, 0);
  assert.equal(applyAction(state, 'end', 10).scroll, Number.MAX_SAFE_INTEGER);
  assert.equal(applyAction({ ...state, scroll: 5 }, 'home', 10).scroll, 0);
});

test('typing a filter: text, Backspace, Enter keeps it, Esc clears it, control keys are ignored', () => {
  let state = applyAction(initialViewState(2), 'filter', 10);
  for (const key of ['n', 'g', 'x', '\x7f', 'i', 'n', 'x']) state = editFilter(state, key);
  assert.equal(state.filter, 'nginx');
  assert.equal(editFilter(state, '\x1b[A'), state);
  assert.equal(editFilter(state, '\x01'), state);
  const kept = editFilter(state, '\r');
  assert.deepEqual([kept.editingFilter, kept.filter], [false, 'nginx']);
  const cleared = editFilter(state, '\x1b');
  assert.deepEqual([cleared.editingFilter, cleared.filter], [false, '']);
  assert.equal(editFilter({ ...state, filter: 'x'.repeat(64) }, 'y').filter.length, 64, 'a filter has a length cap');
});
