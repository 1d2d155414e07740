import type { Action } from './keys.ts';

import { PROCESS_SORTS, type ProcessSort } from '../collect/process-sampler.ts';

export type SortKey = ProcessSort;
export const SORT_ORDER: readonly SortKey[] = PROCESS_SORTS;

/** Refresh intervals `+` and `-` step through, in seconds. */
export const INTERVALS: readonly number[] = [0.5, 1, 2, 3, 5, 10, 30, 60];

/** What the person at the keyboard chose; the data is elsewhere, so a keypress redraws without re-reading /proc. */
export interface ViewState {
  sort: SortKey;
  tree: boolean;
  /** Kernel threads ([kworker/0:1] and the like) are listed only when asked, as htop does. */
  kernelThreads: boolean;
  paused: boolean;
  help: boolean;
  intervalSeconds: number;
  filter: string;
  /** Typing a filter after "/": keys go to the filter until Enter or Esc. */
  editingFilter: boolean;
  /** First process row shown, for scrolling. */
  scroll: number;
}

export const initialViewState = (intervalSeconds: number, sort: SortKey = 'cpu'): ViewState => ({
  sort,
  tree: false,
  kernelThreads: false,
  paused: false,
  help: false,
  intervalSeconds,
  filter: '',
  editingFilter: false,
  scroll: 0,
});

function stepInterval(current: number, direction: 1 | -1): number {
  if (direction > 0) return INTERVALS.find((value) => value > current) ?? current;
  return [...INTERVALS].reverse().find((value) => value < current) ?? current;
}

/** The state after one action; `page` is how many process rows the screen shows. */
export function applyAction(state: ViewState, action: Action, page: number): ViewState {
  switch (action) {
    case 'quit':
      return state;
    case 'help':
      return { ...state, help: !state.help };
    case 'sort-cpu':
      return { ...state, sort: 'cpu', scroll: 0 };
    case 'sort-memory':
      return { ...state, sort: 'memory', scroll: 0 };
    case 'sort-io':
      return { ...state, sort: 'io', scroll: 0 };
    case 'sort-time':
      return { ...state, sort: 'time', scroll: 0 };
    case 'sort-next':
      return {
        ...state,
        sort: SORT_ORDER[(SORT_ORDER.indexOf(state.sort) + 1) % SORT_ORDER.length] ?? 'cpu',
        scroll: 0,
      };
    case 'tree':
      return { ...state, tree: !state.tree, scroll: 0 };
    case 'kernel-threads':
      return { ...state, kernelThreads: !state.kernelThreads, scroll: 0 };
    case 'filter':
      return { ...state, editingFilter: true };
    case 'pause':
      return { ...state, paused: !state.paused };
    case 'faster':
      return { ...state, intervalSeconds: stepInterval(state.intervalSeconds, -1) };
    case 'slower':
      return { ...state, intervalSeconds: stepInterval(state.intervalSeconds, 1) };
    case 'up':
      return { ...state, scroll: Math.max(0, state.scroll - 1) };
    case 'down':
      return { ...state, scroll: state.scroll + 1 };
    case 'page-up':
      return { ...state, scroll: Math.max(0, state.scroll - page) };
    case 'page-down':
      return { ...state, scroll: state.scroll + page };
    case 'home':
      return { ...state, scroll: 0 };
    case 'end':
      return { ...state, scroll: Number.MAX_SAFE_INTEGER };
  }
}

/** A key typed while editing the filter: Enter keeps it, Esc clears it, Backspace deletes, the rest is text. */
export function editFilter(state: ViewState, key: string): ViewState {
  if (key === '\r' || key === '\n') return { ...state, editingFilter: false };
  if (key === '\x1b' || key === '\x03') return { ...state, editingFilter: false, filter: '', scroll: 0 };
  if (key === '\x7f' || key === '\b') return { ...state, filter: [...state.filter].slice(0, -1).join(''), scroll: 0 };
  // eslint-disable-next-line no-control-regex -- control keys are what must not become filter text
  if (key.length === 0 || key.startsWith('\x1b') || /[\x00-\x1f]/.test(key)) return state;
  return state.filter.length >= 64 ? state : { ...state, filter: state.filter + key, scroll: 0 };
}
