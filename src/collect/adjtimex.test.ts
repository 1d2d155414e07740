import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { timexSamples } from '../exporters/timex.ts';
import { createAdjtimexReader, parseTimexLine } from './adjtimex.ts';

const LINE = '5 0 0 16000000 16000000 64 2 1 32768000 10000 0 0 0 0 0 0 0 0 0';

/** A stand-in for perl that answers each line of its stdin with `answer` (it ignores perl's arguments). */
function fakeHelper(answer: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'argus-timex-')), 'perl');
  writeFileSync(path, `#!/bin/sh\nwhile read line; do echo "${answer}"; done\n`);
  chmodSync(path, 0o755);
  return path;
}

test('parseTimexLine() reads the helper answer field by field, and refuses what is not one', () => {
  const timex = parseTimexLine(LINE);
  assert.equal(timex.state, 5);
  assert.equal(timex.maxerror, 16_000_000);
  assert.equal(timex.status, 64);
  assert.equal(timex.tick, 10_000);
  assert.equal(timex.tai, 0);
  assert.throws(() => parseTimexLine('E Operation not permitted'), /adjtimex failed: Operation not permitted/);
  assert.throws(() => parseTimexLine('1 2 3'), /unexpected adjtimex answer/);
});

test("timexSamples() computes node_exporter's values: seconds, ppm ratios, nanoseconds under STA_NANO, sync", () => {
  const value = (samples: ReturnType<typeof timexSamples>, name: string) =>
    samples.find((sample) => sample.family.name === name)?.value;
  // This machine's values, as node_exporter 1.5.0 printed them beside it.
  const unsynced = timexSamples(parseTimexLine(LINE));
  assert.equal(unsynced.length, 17);
  assert.equal(value(unsynced, 'node_timex_maxerror_seconds'), 16);
  assert.equal(value(unsynced, 'node_timex_tick_seconds'), 0.01);
  assert.equal(value(unsynced, 'node_timex_frequency_adjustment_ratio'), 1);
  assert.equal(value(unsynced, 'node_timex_sync_status'), 0);
  assert.equal(value(unsynced, 'node_timex_status'), 64);
  const synced = timexSamples({
    ...parseTimexLine(LINE),
    state: 0,
    status: 0x2001,
    offset: -1_500_000,
    freq: 65_536 * 12,
    jitter: 2000,
  });
  assert.equal(value(synced, 'node_timex_sync_status'), 1);
  assert.equal(value(synced, 'node_timex_offset_seconds'), -0.0015, 'STA_NANO: nanoseconds');
  assert.equal(value(synced, 'node_timex_pps_jitter_seconds'), 0.000002);
  assert.equal(value(synced, 'node_timex_frequency_adjustment_ratio'), 1.000012, '12 ppm');
});

test('the adjtimex reader keeps one helper, gives up on a silent or missing one, and asks again a minute later', async () => {
  const good = createAdjtimexReader({ command: fakeHelper(LINE), arch: 'x64' });
  try {
    assert.equal((await good.read()).status, 64);
    assert.equal((await good.read()).tick, 10_000, 'the same helper answers again');
  } finally {
    good.close();
  }
  let now = 0;
  const missing = createAdjtimexReader({ command: '/nonexistent/perl', arch: 'x64', nowMs: () => now });
  await assert.rejects(missing.read(), /perl|exited/);
  await assert.rejects(missing.read(), /perl|exited/, 'not started again at once');
  now = 61_000;
  await assert.rejects(missing.read(), /perl|exited/);
  const mute = join(mkdtempSync(join(tmpdir(), 'argus-timex-')), 'perl');
  writeFileSync(mute, '#!/bin/sh\nexec sleep 30\n');
  chmodSync(mute, 0o755);
  const hung = createAdjtimexReader({ command: mute, arch: 'x64', timeoutMs: 200 });
  await assert.rejects(hung.read(), /did not answer within 200 ms/);
  hung.close();
  await assert.rejects(createAdjtimexReader({ arch: 'ia32' }).read(), /x64 and arm64 only/);
});
