import type { Command } from 'commander';
import type { Io } from './io.ts';

/** What every command file gets: the world (io) and a way to set the exit code of the run. */
export interface CommandContext {
  io: Io;
  setExitCode(code: number): void;
}

export type RegisterCommand = (program: Command, context: CommandContext) => void;

export const examples = (...lines: string[]): string =>
  `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
