import { UsageError } from '../../errors.ts';
import { parseDuration } from '../../schema/duration.ts';
import { runTop } from '../../tui/app.ts';
import type { SortKey } from '../../tui/view-state.ts';
import { localeIsUtf8 } from '../../tui/widgets/style.ts';
import { wantsColor, type Io } from '../io.ts';

export interface TopCliOptions {
  interval: string;
  config?: string;
  sort: SortKey;
  ascii?: boolean;
  once?: boolean;
  size?: string;
}

const MAX_SIZE = 1000;

function parseSize(text: string): { width: number; height: number } {
  const match = /^(\d{1,4})x(\d{1,4})$/.exec(text);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || width < 1 || height < 1 || width > MAX_SIZE || height > MAX_SIZE)
    throw new UsageError(`Option --size needs COLUMNSxROWS such as 120x40 (got "${text}")`);
  return { width, height };
}

export async function runTopCommand(io: Io, options: TopCliOptions): Promise<void> {
  const seconds = parseDuration(options.interval);
  if (seconds === undefined || seconds < 0.5 || seconds > 3600)
    throw new UsageError(`Option --interval needs 0.5 to 3600 seconds (got "${options.interval}")`);
  if (options.size !== undefined && options.once !== true) throw new UsageError('Option --size goes with --once');
  const style = {
    color: wantsColor(io),
    unicode: options.ascii !== true && localeIsUtf8(io.env),
  };
  const once = options.once
    ? options.size !== undefined
      ? parseSize(options.size)
      : io.stdoutIsTTY
        ? { width: io.columns || 80, height: process.stdout.rows || 24 }
        : { width: 120, height: 40 }
    : undefined;
  await runTop(
    io,
    { output: process.stdout, input: process.stdin, stdout: (text) => io.stdout(text) },
    { config: options.config, intervalSeconds: seconds, sort: options.sort, style, ...(once ? { once } : {}) },
  );
}
