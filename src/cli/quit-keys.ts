import { readFileSync } from 'node:fs';
import type { TerminalInput } from '../tui/screen.ts';

/**
 * Whether this process is in its terminal's foreground process group (/proc/self/stat: pgrp against tpgid). A
 * background one (`argus status &`, or under `timeout`, which runs its command in the background) that touches the
 * terminal's modes or reads it is stopped by SIGTTOU or SIGTTIN, so it must leave the keyboard alone.
 */
export function inForeground(readStat = (): string => readFileSync('/proc/self/stat', 'utf8')): boolean {
  try {
    const stat = readStat();
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[2] !== undefined && fields[2] === fields[5];
  } catch {
    return false; // not Linux, or no /proc: the keyboard stays as it is
  }
}

/** q, Q, Esc and Ctrl-C: in raw mode Ctrl-C is a key, not a signal, so it must be read like the others. */
const QUIT = new Set(['q', 'Q', '\x1b', '\x03']);

/**
 * `q` quits the live status table as it quits top and less: the keyboard goes to raw mode while the table runs
 * and `onQuit` stops the loop the way Ctrl-C would. Returns the function that gives the keyboard back; nothing
 * happens when stdin is not a terminal (a pipe, a service) or the process is in the background.
 */
export function listenForQuit(input: TerminalInput, onQuit: () => void, foreground = inForeground): () => void {
  if (input.isTTY !== true || typeof input.setRawMode !== 'function' || !foreground()) return () => undefined;
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
