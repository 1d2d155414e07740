import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createStdout } from './io.ts';

/** A stand-in for process.stdout that records what reaches it. */
function fakeStream() {
  const chunks: Buffer[] = [];
  let created = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return {
    get: () => ((created += 1), stream),
    text: () => Buffer.concat(chunks).toString(),
    bytes: () => Buffer.concat(chunks).length,
    created: () => created,
  };
}

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'argus-io-')), 'out');

test('stdout goes straight to the descriptor and never creates the stream for plain writes', () => {
  const path = tempFile();
  const fd = openSync(path, 'w');
  const stream = fakeStream();
  const stdout = createStdout(fd, stream.get);
  stdout.write('{"a":1}\n');
  stdout.write('µ and ✓\n');
  closeSync(fd);
  assert.equal(readFileSync(path, 'utf8'), '{"a":1}\nµ and ✓\n');
  assert.equal(stream.created(), 0);
});

test('once the stream is asked for, every later write goes through it, in order', () => {
  const path = tempFile();
  const fd = openSync(path, 'w');
  const stream = fakeStream();
  const stdout = createStdout(fd, stream.get);
  stdout.write('first\n');
  stdout.streamed();
  stdout.streamed();
  stdout.write('second\n');
  closeSync(fd);
  assert.equal(readFileSync(path, 'utf8'), 'first\n');
  assert.equal(stream.text(), 'second\n');
  assert.equal(stream.created(), 1);
});

test('without direct writes (a Windows console) everything goes through the stream', () => {
  const path = tempFile();
  const fd = openSync(path, 'w');
  const stream = fakeStream();
  const stdout = createStdout(fd, stream.get, undefined, false);
  stdout.write('µ ✓\n');
  closeSync(fd);
  assert.equal(readFileSync(path, 'utf8'), '');
  assert.equal(stream.text(), 'µ ✓\n');
});

/** A pipe to a child: its write end is non-blocking (libuv's), as an inherited stdout can be. */
function pipeToChild(command: string, args: string[]) {
  const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  const fd = (child.stdin as unknown as { _handle: { fd: number } })._handle.fd;
  return { child, fd };
}

test('a write the descriptor refuses (a full non-blocking pipe) hands the rest to the stream', (t) => {
  const { child, fd } = pipeToChild('sleep', ['30']);
  t.after(() => child.kill());
  const stream = fakeStream();
  const stdout = createStdout(fd, stream.get);
  const text = 'x'.repeat(1024 * 1024);
  stdout.write(text);
  assert.equal(stream.created(), 1, 'a 1 MiB write cannot fit a pipe nobody reads');
  assert.ok(stream.bytes() > 0 && stream.bytes() < text.length, `${stream.bytes()} bytes queued`);
  assert.equal(stream.text(), text.slice(text.length - stream.bytes()), 'the stream got exactly the unwritten tail');
});

test('a reader that hung up ends the process quietly (exit 0); other errors are thrown', async (t) => {
  // The child closes its end of the pipe and says so, then stays alive so the parent keeps its end open.
  const { child, fd } = pipeToChild('sh', ['-c', 'exec 0<&-; echo closed >&2; exec sleep 30']);
  t.after(() => child.kill());
  await new Promise((resolve) => child.stderr?.once('data', resolve));
  const exits: number[] = [];
  const stdout = createStdout(fd, fakeStream().get, (code) => void exits.push(code));
  stdout.write('nobody reads this\n');
  assert.deepEqual(exits, [0]);

  const closed = openSync(tempFile(), 'w');
  closeSync(closed);
  assert.throws(() => createStdout(closed, fakeStream().get).write('x'), { code: 'EBADF' });
});
