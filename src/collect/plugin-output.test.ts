import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES } from '../../test/helpers/fixture-host.ts';
import { parsePerfdata, parsePluginOutput } from './plugin-output.ts';

const recorded = (name: string) => readFileSync(join(FIXTURES, 'plugins', name), 'utf8');

test('parsePluginOutput() reads recorded check_load output', () => {
  const output = parsePluginOutput(recorded('check_load.txt'));
  assert.match(output.text, /^LOAD OK - total load average: [\d.]+, [\d.]+, [\d.]+$/);
  assert.deepEqual(
    output.perfdata.map((item) => [item.label, item.warn, item.crit, item.min]),
    [
      ['load1', '5.000', '10.000', 0],
      ['load5', '4.000', '8.000', 0],
      ['load15', '3.000', '6.000', 0],
    ],
  );
});

test('parsePluginOutput() reads check_disk bytes and check_swap with no space before the bar', () => {
  const disk = parsePluginOutput(recorded('check_disk.txt'));
  assert.equal(disk.perfdata[0]?.label, '/');
  assert.equal(disk.perfdata[0]?.unit, 'bytes');
  assert.ok((disk.perfdata[0]?.max ?? 0) > (disk.perfdata[0]?.value ?? Infinity));
  const swap = parsePluginOutput(recorded('check_swap.txt'));
  assert.match(swap.text, /^SWAP CRITICAL - 0% free/);
  assert.deepEqual(swap.perfdata, [{ label: 'swap', value: 0, unit: 'bytes', warn: '0', crit: '0', min: 0, max: 0 }]);
  assert.equal(parsePluginOutput(recorded('check_procs.txt')).perfdata[0]?.label, 'procs');
});

test('parsePluginOutput() joins long output and its perfdata, as Nagios 3 does', () => {
  const output = parsePluginOutput(
    "DB OK - 2 databases | 'db size'=1.5MB;;;0;\nmain: fine\nlogs: fine | 'it''s'=12ms;10:;@0:5 time=U\n'more'=5c\n",
  );
  assert.equal(output.text, 'DB OK - 2 databases');
  assert.deepEqual(output.longText, ['main: fine', 'logs: fine']);
  assert.deepEqual(output.perfdata, [
    { label: 'db size', value: 1.5 * 1024 * 1024, unit: 'bytes', min: 0 },
    { label: "it's", value: 0.012, unit: 'seconds', warn: '10:', crit: '@0:5' },
    { label: 'time', value: undefined, unit: 'none' },
    { label: 'more', value: 5, unit: 'counter' },
  ]);
});

test('parsePerfdata() skips malformed items and reads exponents and percentages', () => {
  assert.deepEqual(parsePerfdata('bad=abc ok=1e3% x='), [{ label: 'ok', value: 1000, unit: 'percent' }]);
  assert.deepEqual(parsePluginOutput('').text, '');
});
