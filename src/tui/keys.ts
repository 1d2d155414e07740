/**
 * The keys of `argus top`, as data: the key handler, the help screen and the footer all read this one table
 * (Glances keeps its hotkeys the same way), so a key cannot work without being documented or the reverse.
 */
export type Action =
  | 'quit'
  | 'help'
  | 'sort-cpu'
  | 'sort-memory'
  | 'sort-io'
  | 'sort-time'
  | 'sort-next'
  | 'tree'
  | 'kernel-threads'
  | 'filter'
  | 'pause'
  | 'faster'
  | 'slower'
  | 'up'
  | 'down'
  | 'page-up'
  | 'page-down'
  | 'home'
  | 'end';

export interface KeyBinding {
  /** What the terminal sends for each key. */
  sequences: readonly string[];
  /** How the help screen and footer name the key. */
  label: string;
  action: Action;
  help: string;
  /** Shown in the one-line footer as well as on the help screen, under this short name. */
  footer?: string;
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { sequences: ['h', '?'], label: 'h ?', action: 'help', help: 'show or hide this help', footer: 'Help' },
  { sequences: ['c', 'P'], label: 'c P', action: 'sort-cpu', help: 'sort processes by CPU %', footer: 'CPU' },
  { sequences: ['m', 'M'], label: 'm M', action: 'sort-memory', help: 'sort by resident memory', footer: 'Mem' },
  {
    sequences: ['i', 'I'],
    label: 'i I',
    action: 'sort-io',
    help: 'sort by disk I/O (read + write rate)',
    footer: 'I/O',
  },
  { sequences: ['T'], label: 'T', action: 'sort-time', help: 'sort by CPU time used since start', footer: 'Time' },
  { sequences: ['s'], label: 's', action: 'sort-next', help: 'next sort order' },
  { sequences: ['t'], label: 't', action: 'tree', help: 'processes as a tree of parents and children', footer: 'Tree' },
  {
    sequences: ['/'],
    label: '/',
    action: 'filter',
    help: 'filter by name, user or command line (Esc clears)',
    footer: 'Filter',
  },
  { sequences: ['p', ' '], label: 'p Space', action: 'pause', help: 'pause or resume the refresh', footer: 'Pause' },
  { sequences: ['+', '='], label: '+', action: 'slower', help: 'refresh less often', footer: '+-' },
  { sequences: ['-', '_'], label: '-', action: 'faster', help: 'refresh more often' },
  { sequences: ['\x1b[A', 'k'], label: '↑ k', action: 'up', help: 'scroll the process list up' },
  { sequences: ['\x1b[B', 'j'], label: '↓ j', action: 'down', help: 'scroll the process list down' },
  { sequences: ['\x1b[5~'], label: 'PgUp', action: 'page-up', help: 'scroll a page up' },
  { sequences: ['\x1b[6~'], label: 'PgDn', action: 'page-down', help: 'scroll a page down' },
  { sequences: ['\x1b[H', '\x1b[1~', '\x1bOH', 'g'], label: 'Home g', action: 'home', help: 'to the top of the list' },
  { sequences: ['\x1b[F', '\x1b[4~', '\x1bOF', 'G'], label: 'End G', action: 'end', help: 'to the end of the list' },
  { sequences: ['q', 'Q', '\x1b', '\x03'], label: 'q Esc ^C', action: 'quit', help: 'quit (exit 0)', footer: 'Quit' },
];

const BY_SEQUENCE = new Map(
  KEY_BINDINGS.flatMap((binding) => binding.sequences.map((sequence) => [sequence, binding.action])),
);

export const actionOf = (sequence: string): Action | undefined => BY_SEQUENCE.get(sequence);

/**
 * Splits what one read() of a raw terminal returned into keys: a fast typist or a paste delivers several at
 * once, and an escape sequence (an arrow: ESC [ A) must stay whole.
 */
export function splitKeys(data: string): string[] {
  const keys: string[] = [];
  let index = 0;
  while (index < data.length) {
    if (data[index] === '\x1b' && index + 1 < data.length) {
      // eslint-disable-next-line no-control-regex -- an escape sequence starts with ESC
      const match = /^\x1b(?:\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(data.slice(index));
      const length = match ? match[0].length : 1;
      keys.push(data.slice(index, index + length));
      index += length;
      continue;
    }
    const char = String.fromCodePoint(data.codePointAt(index) ?? 0);
    keys.push(char);
    index += char.length;
  }
  return keys;
}
