/** What the screen needs of a terminal: process.stdout and process.stdin, or fakes in tests. */
export interface TerminalOutput {
  write(text: string): boolean;
  readonly columns?: number;
  readonly rows?: number;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export interface TerminalInput {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(encoding: 'utf8'): unknown;
  resume(): unknown;
  pause(): unknown;
  on(event: 'data', listener: (data: string) => void): unknown;
  off(event: 'data', listener: (data: string) => void): unknown;
}

const ENTER = '\x1b[?1049h\x1b[?25l\x1b[2J';
// Cleared before leaving: tmux 3.3 keeps the alternate screen's rows below the normal screen's old height after
// a resize, so a frame drawn at 40 rows would stay behind under a shell that had 24.
const LEAVE = '\x1b[0m\x1b[2J\x1b[?25h\x1b[?1049l';

/**
 * The alternate screen, drawn line by line: only lines that changed since the last frame are written (a 2 s
 * refresh of a quiet host rewrites the clock, the header and a few process rows), each ending with "erase to end
 * of line". Entering hides the cursor and puts the keyboard in raw mode; leaving undoes all of it and is safe to
 * call twice, so every exit path can call it.
 */
export class TerminalScreen {
  private readonly output: TerminalOutput;
  private readonly input: TerminalInput;
  private previous: string[] = [];
  private active = false;

  constructor(output: TerminalOutput, input: TerminalInput) {
    this.output = output;
    this.input = input;
  }

  get size(): { width: number; height: number } {
    // A pty nobody sized reports 0x0: drawn as 80x24 rather than as nothing.
    return { width: this.output.columns || 80, height: this.output.rows || 24 };
  }

  enter(): void {
    if (this.active) return;
    this.active = true;
    this.output.write(ENTER);
    if (this.input.isTTY) this.input.setRawMode?.(true);
    this.input.setEncoding('utf8');
    this.input.resume();
  }

  leave(): void {
    if (!this.active) return;
    this.active = false;
    if (this.input.isTTY) this.input.setRawMode?.(false);
    this.input.pause();
    this.output.write(LEAVE);
    this.previous = [];
  }

  get isActive(): boolean {
    return this.active;
  }

  /** Forget what is on screen, so the next frame is drawn whole (after a resize, a suspend, a help toggle). */
  invalidate(): void {
    this.previous = [];
    if (this.active) this.output.write('\x1b[2J');
  }

  draw(lines: readonly string[]): void {
    if (!this.active) return;
    let text = '';
    const rows = Math.max(lines.length, this.previous.length);
    for (let index = 0; index < rows; index += 1) {
      const line = lines[index] ?? '';
      if (line === this.previous[index]) continue;
      text += `\x1b[${index + 1};1H${line}\x1b[0m\x1b[K`;
    }
    this.previous = [...lines];
    // Synchronized output (mode 2026): terminals that know it show the frame at once, others ignore it.
    if (text !== '') this.output.write(`\x1b[?2026h${text}\x1b[?2026l`);
  }
}
