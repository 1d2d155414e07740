/** What listenForQuit needs of stdin: process.stdin, or a fake in tests. */
export interface KeyInput {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(encoding: 'utf8'): unknown;
  resume(): unknown;
  pause(): unknown;
  on(event: 'data', listener: (data: string) => void): unknown;
  off(event: 'data', listener: (data: string) => void): unknown;
}

/** q, Q, Esc and Ctrl-C: in raw mode Ctrl-C is a key, not a signal, so it must be read like the others. */
const QUIT = new Set(['q', 'Q', '\x1b', '\x03']);

/**
 * `q` quits the live status table as it quits top and less: the keyboard goes to raw mode while the table runs
 * and `onQuit` stops the loop the way Ctrl-C would. Returns the function that gives the keyboard back; nothing
 * happens when stdin is not a terminal (a pipe, a service).
 */
export function listenForQuit(input: KeyInput, onQuit: () => void): () => void {
  if (input.isTTY !== true || typeof input.setRawMode !== 'function') return () => undefined;
  const onData = (data: string): void => {
    if ([...data].some((key) => QUIT.has(key))) onQuit();
  };
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.on('data', onData);
  input.resume();
  return () => {
    input.off('data', onData);
    input.setRawMode?.(false);
    input.pause();
  };
}
