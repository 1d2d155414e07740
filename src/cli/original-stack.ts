import { readFileSync } from 'node:fs';
import type * as NodeModule from 'node:module';
import { requireBuiltin } from '../platform/require-builtin.ts';

type SourceMap = InstanceType<typeof NodeModule.SourceMap>;

/** `    at name (file:line:col)` or `    at file:line:col`, as V8 writes a frame. */
const FRAME = /^(\s+at )(?:(.+?) \()?(\/[^()]+?):(\d+):(\d+)\)?$/;

/**
 * The bundle ships with its identifiers minified (a one-shot run reads 30 % less and starts ~4 ms sooner) and a
 * source map beside it, so a bug report can still point at the source: frames in a file with a `.map` next to
 * it become `src/…/file.ts:line:col`, and each function gets its own name back. The map holds no names for
 * definitions, only for references, so a frame's name is the one its caller called it by, which is how Node's
 * --enable-source-maps names them too. Frames of files without a map are left as they are (tests run the
 * sources; Node's own frames). Only the bug path calls this, so the map is read then and not at start.
 */
export function originalStack(stack: string, readMap: (file: string) => string = (file) => readFileSync(file, 'utf8')) {
  const maps = new Map<string, SourceMap | undefined>();
  const mapFor = (file: string): SourceMap | undefined => {
    if (!maps.has(file)) {
      let map: SourceMap | undefined;
      try {
        const { SourceMap } = requireBuiltin('node:module') as typeof NodeModule;
        map = new SourceMap(JSON.parse(readMap(`${file}.map`)) as NodeModule.SourceMapPayload);
      } catch {
        map = undefined; // no map, or not one we can read: the frame stays as V8 wrote it
      }
      maps.set(file, map);
    }
    return maps.get(file);
  };
  const lines = stack.split('\n');
  const frames = lines.map((line) => {
    const match = FRAME.exec(line);
    if (!match) return undefined;
    const [, at = '', name, file = '', lineText = '', columnText = ''] = match;
    return { at, name, file, line: Number(lineText) - 1, column: Number(columnText) - 1 };
  });
  // Node 20.12+ gives a mapping its name; @types/node 20 does not know the field.
  type Mapping = NodeModule.SourceMapping & { name?: string };
  const entryAt = (frame: (typeof frames)[number]): Mapping | undefined => {
    if (!frame) return undefined;
    const entry = mapFor(frame.file)?.findEntry(frame.line, frame.column);
    return entry && 'originalSource' in entry ? entry : undefined;
  };
  return lines
    .map((line, index) => {
      const frame = frames[index];
      const entry = entryAt(frame);
      if (!frame || !entry) return line;
      // Sources are relative to the map in dist/: `../src/cli/main.ts` is the package's `src/cli/main.ts`.
      const where = `${entry.originalSource.replace(/^(\.\.\/)+/, '')}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
      // The caller's call site names the function this frame is in.
      const calledAs = entryAt(frames[index + 1])?.name;
      const name = frame.name && calledAs ? frame.name.replace(/[\w$]+(?=( \[as [^\]]+\])?$)/, calledAs) : frame.name;
      return name ? `${frame.at}${name} (${where})` : `${frame.at}${where}`;
    })
    .join('\n');
}

/** Maps the stacks of an error and of its causes in place, for the bug report and the audit log. */
export function mapErrorStacks(error: unknown, seen = new Set<unknown>()): void {
  if (!(error instanceof Error) || seen.has(error)) return;
  seen.add(error);
  if (typeof error.stack === 'string') {
    try {
      error.stack = originalStack(error.stack);
    } catch {
      // a frozen error keeps the stack V8 gave it
    }
  }
  mapErrorStacks(error.cause, seen);
  if (error instanceof AggregateError) for (const inner of error.errors) mapErrorStacks(inner, seen);
}
