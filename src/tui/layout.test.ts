import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureHost, manualClock } from '../../test/helpers/fixture-host.ts';
import type { CheckResult, Status } from '../result.ts';
import { layoutScreen, MIN_HEIGHT, MIN_WIDTH } from './layout.ts';
import { TopData } from './top-data.ts';
import { initialViewState } from './view-state.ts';
import { cellWidth } from '../format/cells.ts';

const result = (
  name: string,
  instance: string | undefined,
  status: Status,
  metrics: Record<string, number>,
  details = '',
): CheckResult => ({
  name,
  ...(instance === undefined ? {} : { instance }),
  status,
  metrics,
  details: details || `${name} ${instance}`,
  timestamp: '2026-12-05T00:00:00.000Z',
  host: 'fixture',
  durationMs: 1,
});

/** Two recorded samples of the procs scenario, with disks, interfaces, sensors and a GPU from check results. */
function fixtureData(cores = 2): TopData {
  const clock = manualClock();
  const data = new TopData(fixtureHost('procs', 0), clock.monotonicMs);
  data.sample();
  clock.advance(1000);
  (data as unknown as { host: unknown }).host = fixtureHost('procs', 1);
  const sample = data.sample();
  // More cores than the recording has, to lay out a big machine.
  sample.cores = Array.from({ length: cores }, (_, core) => ({
    core,
    usage: {
      busyPercent: core % 100,
      userPercent: (core % 100) / 2,
      systemPercent: (core % 100) / 2,
      iowaitPercent: 0,
      stealPercent: 0,
    },
  }));
  data.setResults([
    result(
      'disk',
      '/',
      'CRIT',
      { used_percent: 96.8, free_bytes: 3e9, read_bytes_per_second: 1.5e6, write_bytes_per_second: 2e5 },
      '96.8% used [CRIT used_percent=96.8 (≥ 90)]',
    ),
    result('disk', '/srv/backups/very/long/mount/point/that/needs/cutting', 'OK', {
      used_percent: 40,
      free_bytes: 5e11,
    }),
    result('network', 'eth0', 'OK', { rx_bytes_per_second: 12e6, tx_bytes_per_second: 3e5 }),
    result('network', 'wlp0s20f3', 'OK', { rx_bytes_per_second: 0, tx_bytes_per_second: 10 }),
    result('temperature', 'coretemp/Package id 0', 'WARN', { temperature_celsius: 88 }),
    result('gpu', '0', 'OK', {
      utilization_percent: 97,
      memory_used_bytes: 7e10,
      memory_total_bytes: 8e10,
      temperature_celsius: 70,
      power_watts: 600,
    }),
    result('cpu', undefined, 'WARN', { usage_percent: 91 }, '91.0% busy [WARN usage_percent=91 (≥ 80)]'),
  ]);
  return data;
}

test('every line of every size from 40x10 to 250x70 fits its width, and the screen its height', () => {
  const data = fixtureData(64);
  for (const style of [
    { color: false, unicode: true },
    { color: true, unicode: false },
  ]) {
    for (let width = MIN_WIDTH; width <= 250; width += 7) {
      for (let height = MIN_HEIGHT; height <= 70; height += 5) {
        const { lines } = layoutScreen(data, data.results, initialViewState(2), width, height, style);
        assert.equal(lines.length, height, `${width}x${height} has ${lines.length} lines`);
        for (const line of lines)
          assert.ok(cellWidth(line) <= width, `${width}x${height}: ${cellWidth(line)} cells: "${line}"`);
        assert.match(lines[0] ?? '', /CRIT/, 'the header keeps the overall status');
        assert.match(lines.at(-1) ?? '', /Help/, 'the key bar stays');
        assert.ok(
          lines.some((line) => /PID/.test(line)),
          `${width}x${height}: the process list stays`,
        );
      }
    }
  }
});

test('panels drop in priority as the screen shrinks and come back as it grows', () => {
  const data = fixtureData(8);
  const style = { color: false, unicode: true };
  const small = layoutScreen(data, data.results, initialViewState(2), 80, 24, style).lines.join('\n');
  const large = layoutScreen(data, data.results, initialViewState(2), 200, 60, style).lines.join('\n');
  assert.match(small, /^CPU /m);
  assert.match(small, /Mem /);
  assert.match(small, /CRIT\s+disk \/: 96\.8% used/, 'the check strip explains the breach');
  assert.match(small, /WARN\s+cpu: 91\.0% busy/);
  assert.doesNotMatch(small, /GPU 0/, 'sensors go first on a small screen');
  assert.ok(
    small.split('\n').filter((line) => /^\s+\d+ /.test(line)).length >= 2,
    'processes keep their rows (kernel threads hidden)',
  );
  for (const expected of [
    /c7 /,
    /GPU 0 97%/,
    /coretemp\/Package id 0 88°C/,
    /eth0 +↓ +11M\/s/,
    /PSI|Swp/,
    /TIME\+/,
    /READ\/s/,
  ])
    assert.match(large, expected);
  const tiny = layoutScreen(data, data.results, initialViewState(2), 30, 8, style).lines;
  assert.deepEqual(tiny, ['argus top needs 40x10 (this is…'.slice(0, 30)]);
});

test('the help screen lists every key from the key table', () => {
  const data = fixtureData();
  const { lines } = layoutScreen(data, [], { ...initialViewState(2), help: true }, 100, 40, {
    color: false,
    unicode: true,
  });
  const text = lines.join('\n');
  for (const key of ['q Esc ^C', '/', 't', 'p Space']) assert.ok(text.includes(`  ${key}`), key);
});

test('the check strip lists the latest status changes under what is not OK, newest first', () => {
  const data = fixtureData();
  const at = Date.UTC(2026, 11, 5, 5, 41);
  const ok = data.results.map((entry) => ({ ...entry, status: 'OK' as const }));
  data.setResults(ok, at - 60_000);
  data.setResults(
    ok.map((entry) =>
      entry.name === 'disk' && entry.instance === '/' ? { ...entry, status: 'CRIT' as const } : entry,
    ),
    at,
  );
  const style = { color: false, unicode: true };
  const lines = layoutScreen(data, data.results, initialViewState(2), 100, 40, style).lines;
  const local = new Date(at);
  const time = `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
  assert.ok(
    lines.some((line) => line.startsWith(`${time} OK→CRIT disk /: 96.8% used`)),
    lines.slice(0, 6).join('\n'),
  );
  const ascii = layoutScreen(data, data.results, initialViewState(2), 100, 40, { color: false, unicode: false }).lines;
  assert.ok(ascii.some((line) => line.startsWith(`${time} OK->CRIT disk /`)));
});

test('in a container with a memory limit the Mem meter shows the container, as the ram check does', () => {
  const data = fixtureData();
  const memLine = (): string =>
    layoutScreen(data, data.results, initialViewState(2, 'cpu'), 120, 40, { color: false, unicode: false }).lines.find(
      (line) => /\bMem\b/.test(line),
    ) ?? '';
  assert.doesNotMatch(memLine(), /ctr/, 'the host meminfo without a container result');
  data.setResults([
    ...data.results,
    {
      ...result('ram', undefined, 'OK', { used_bytes: 256 * 2 ** 20, total_bytes: 512 * 2 ** 20, used_percent: 50 }),
      labels: { scope: 'container' },
    },
  ]);
  assert.match(memLine(), /256M\/512M ctr/);
});
