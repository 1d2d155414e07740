import type { CheckResult } from '../result.ts';
import { checkLines } from './panels/checks.ts';
import { coreLines, cpuDetailLine, cpuTotalLine } from './panels/cpu.ts';
import { diskLines, networkLines, sensorLines } from './panels/devices.ts';
import { headerLine } from './panels/header.ts';
import { footerLine, helpLines } from './panels/help.ts';
import { memoryLine, pressureLine, swapLine } from './panels/memory.ts';
import { processLines } from './panels/processes.ts';
import type { TopData } from './top-data.ts';
import type { ViewState } from './view-state.ts';
import { cellWidth, toAscii } from '../format/cells.ts';
import type { Style } from './widgets/style.ts';

/** The smallest screen drawn as a screen; below it one line says what size is needed. */
export const MIN_WIDTH = 40;
export const MIN_HEIGHT = 10;
/** From this width the meters sit in two columns: CPU on the left, memory, disks and network on the right. */
export const TWO_COLUMNS_FROM = 110;
/** Process rows kept however many panels want the space: at least 5, a third of a tall screen. */
const minProcessRows = (height: number): number => Math.max(5, Math.floor(height / 3));

/**
 * A panel that asks for lines: called in priority order with the lines still free, it returns at most that
 * many (none to be left out). `order` is where it sits on screen, whatever its priority.
 */
interface Block {
  order: number;
  build(budget: number): string[] | undefined;
}

/** Fills one column: blocks by priority while lines remain, then shown in screen order. */
function fillColumn(blocks: readonly Block[], budget: number): string[] {
  let left = budget;
  const built = blocks.map((block) => {
    if (left <= 0) return { order: block.order, lines: [] as string[] };
    const lines = (block.build(left) ?? []).slice(0, left);
    left -= lines.length;
    return { order: block.order, lines };
  });
  return built.sort((a, b) => a.order - b.order).flatMap((entry) => entry.lines);
}

const one = (line: string | undefined): string[] => (line === undefined ? [] : [line]);

function cpuBlocks(data: TopData, width: number, style: Style): Block[] {
  return [
    { order: 0, build: () => [cpuTotalLine(data, width, style)] },
    { order: 2, build: (budget) => coreLines(data, width, Math.min(budget, 16), style) },
    { order: 1, build: () => [cpuDetailLine(data, width, style)] },
    { order: 3, build: () => one(pressureLine(data, width)) },
  ];
}

function resourceBlocks(data: TopData, width: number, style: Style, orderBase: number): Block[] {
  return [
    { order: orderBase, build: () => [memoryLine(data, width, style)] },
    { order: orderBase + 1, build: () => one(swapLine(data, width, style)) },
    { order: orderBase + 2, build: (budget) => diskLines(data, width, Math.min(budget, 8), style) },
    { order: orderBase + 3, build: (budget) => networkLines(data, width, Math.min(budget, 6), style) },
    { order: orderBase + 4, build: (budget) => sensorLines(data, width, Math.min(budget, 3), style) },
  ];
}

export interface Screen {
  lines: string[];
  /** Process rows on screen: a page for PgUp/PgDn. */
  page: number;
}

/** Side by side: `left` and `right` columns joined by a space, each padded to its width. */
function joinColumns(left: string[], right: string[], leftWidth: number): string[] {
  const rows = Math.max(left.length, right.length);
  const out: string[] = [];
  for (let index = 0; index < rows; index += 1) {
    const cell = left[index] ?? '';
    const pad = ' '.repeat(Math.max(0, leftWidth - cellWidth(cell)));
    out.push(`${cell}${pad} ${right[index] ?? ''}`.trimEnd());
  }
  return out;
}

/**
 * The whole screen for a size: header, check strip, meters, processes, footer. Panels narrow and drop in a fixed
 * priority as the terminal shrinks (per-core bars, disks, network, sensors, PSI go before the process list's last
 * five rows), and use the room as it grows (two columns of meters from 110 columns, every core, every mount).
 */
export function layoutScreen(
  data: TopData,
  results: readonly CheckResult[],
  state: ViewState,
  width: number,
  height: number,
  style: Style,
): Screen {
  if (width < MIN_WIDTH || height < MIN_HEIGHT) {
    const message = `argus top needs ${MIN_WIDTH}x${MIN_HEIGHT} (this is ${width}x${height})`;
    return { lines: [message.slice(0, Math.max(0, width))], page: 0 };
  }
  const header = headerLine(data, results, width, style);
  const footer = footerLine(width, state, style);
  if (state.help) {
    const lines = [header, ...helpLines(width, height - 2, state), footer];
    return { lines: style.unicode ? lines : lines.map(toAscii), page: 0 };
  }
  let free = height - 2 - minProcessRows(height) - 2; // header, footer; the process title and column header
  const strip = checkLines(
    results,
    width,
    Math.min(Math.max(1, Math.floor(height / 6)), free),
    style,
    data.events.filter((event) => results.some((result) => result.name === event.check)),
  );
  free -= strip.length;
  let meters: string[];
  if (width >= TWO_COLUMNS_FROM) {
    const leftWidth = Math.floor((width - 1) / 2);
    const rightWidth = width - 1 - leftWidth;
    meters = joinColumns(
      fillColumn(cpuBlocks(data, leftWidth, style), free),
      fillColumn(resourceBlocks(data, rightWidth, style, 0), free),
      leftWidth,
    );
  } else {
    const [total, cores, detail, pressure] = cpuBlocks(data, width, style) as [Block, Block, Block, Block];
    const [memory, swap, disks, network, sensors] = resourceBlocks(data, width, style, 0) as [
      Block,
      Block,
      Block,
      Block,
      Block,
    ];
    // One column: priority is the list order, screen order the `order` given here.
    meters = fillColumn(
      [
        { ...total, order: 0 },
        { ...memory, order: 3 },
        { ...swap, order: 4 },
        { ...cores, order: 2 },
        { ...disks, order: 5 },
        { ...network, order: 6 },
        { ...detail, order: 1 },
        { ...pressure, order: 7 },
        { ...sensors, order: 8 },
      ],
      free,
    );
  }
  const processHeight = height - 2 - strip.length - meters.length;
  const processes = processLines(data.latest?.processes, state, width, processHeight, style);
  const lines = [header, ...strip, ...meters, ...processes.lines];
  while (lines.length < height - 1) lines.push('');
  lines.push(footer);
  return { lines: style.unicode ? lines : lines.map(toAscii), page: processes.page };
}
