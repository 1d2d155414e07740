import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, test } from 'node:test';
import { eventually } from '../../test/helpers/eventually.ts';
import { createTestIo } from '../../test/helpers/test-io.ts';
import { runTop, type TopTerminal } from './app.ts';

/** A terminal made of two emitters: what top writes is kept, keys and resizes are emitted by the test. */
function fakeTerminal(tty = true) {
  const written: string[] = [];
  const rawModes: boolean[] = [];
  const output = Object.assign(new EventEmitter(), {
    columns: 100,
    rows: 30,
    write: (text: string) => written.push(text) > 0,
  });
  const input = Object.assign(new EventEmitter(), {
    isTTY: tty,
    setRawMode: (mode: boolean) => rawModes.push(mode),
    setEncoding: () => undefined,
    resume: () => undefined,
    pause: () => undefined,
  });
  const printed: string[] = [];
  const terminal: TopTerminal = { output, input, stdout: (text) => void printed.push(text) };
  return { terminal, output, input, written, rawModes, printed, screen: () => written.join('') };
}

const style = { color: true, unicode: true };

test('interactive top enters the alternate screen, answers keys and resizes, and restores the terminal on q', async () => {
  const io = createTestIo({ env: { ARGUS_SAMPLE_WINDOW: '0.1' } });
  const fake = fakeTerminal();
  const done = runTop(io, fake.terminal, { intervalSeconds: 0.5, sort: 'cpu', style });
  // A failed assertion must still stop top, or its refresh loop keeps the test process alive.
  after(() => fake.input.emit('data', 'q'));
  await eventually(() => fake.screen().includes('Tasks '), 'the first frame');
  assert.ok(fake.screen().startsWith('\x1b[?1049h\x1b[?25l'), 'the alternate screen, cursor hidden');
  assert.deepEqual(fake.rawModes, [true]);
  const keys = (text: string) => fake.input.emit('data', text);
  keys('m');
  await eventually(() => fake.screen().includes('sort RSS'), 'sorted by memory');
  keys('/zz-no-such-process\r');
  await eventually(() => fake.screen().includes('no process matches "zz-no-such-process"'), 'the filter applied');
  keys('/\x1b'); // Esc while editing clears the filter
  keys('t');
  await eventually(() => fake.screen().includes('tree'), 'the tree view');
  keys('p');
  await eventually(() => fake.screen().includes('PAUSED'), 'paused');
  keys('p+');
  await eventually(() => fake.screen().includes('+-\x1b[0m 1s'), 'a longer interval');
  keys('h');
  await eventually(() => fake.screen().includes('argus top: keys'), 'the help screen');
  keys('\x1b'); // Esc leaves help first, and does not quit
  keys('\x1b[B\x1b[6~\x1b[5~\x1b[A\x1bOH\x1bOF');
  fake.output.columns = 60;
  fake.output.rows = 20;
  fake.output.emit('resize');
  const before = fake.written.length;
  await eventually(() => fake.written.length > before, 'a redraw after the resize');
  keys('q');
  await done;
  assert.ok(fake.screen().endsWith('\x1b[0m\x1b[2J\x1b[?25h\x1b[?1049l'), 'the normal screen and cursor restored');
  assert.deepEqual(fake.rawModes, [true, false]);
});

test('a termination signal restores the terminal as q does', async () => {
  const io = createTestIo({ env: { ARGUS_SAMPLE_WINDOW: '0.1' } });
  const fake = fakeTerminal();
  const done = runTop(io, fake.terminal, { intervalSeconds: 2, sort: 'cpu', style });
  await eventually(() => fake.screen().includes('Tasks '), 'the first frame');
  io.emit('SIGTERM');
  await done;
  assert.ok(fake.screen().endsWith('\x1b[?1049l'));
  assert.deepEqual(fake.rawModes, [true, false]);
});

test('without a terminal top refuses with a hint, and --once prints one plain frame of the size asked', async () => {
  const io = createTestIo({ env: { ARGUS_SAMPLE_WINDOW: '0.1' } });
  const pipe = fakeTerminal(false);
  await assert.rejects(runTop(io, pipe.terminal, { intervalSeconds: 2, sort: 'cpu', style }), /needs a terminal/);
  const once = fakeTerminal(false);
  await runTop(io, once.terminal, {
    intervalSeconds: 2,
    sort: 'memory',
    style: { color: false, unicode: false },
    once: { width: 90, height: 25 },
  });
  const lines = (once.printed.join('') || '').replace(/\n$/, '').split('\n');
  assert.equal(lines.length, 25);
  assert.ok(lines.every((line) => line.length <= 90));
  assert.ok(lines.some((line) => line.includes('sort RSS')));
  assert.equal(once.written.length, 0, 'nothing drawn on a screen');
  // eslint-disable-next-line no-control-regex -- escape codes are what must be absent
  assert.doesNotMatch(once.printed.join(''), /\x1b|[^\x00-\x7f]/, 'ASCII without colour');
});
