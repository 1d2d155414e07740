import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { cpuUsageBetween, parseProcStat, readProcStat } from './proc-stat.ts';
import { parseLoadavg, readLoadavg } from './loadavg.ts';

test('readProcStat() reads the total and every core of a recorded host', () => {
  const stat = readProcStat(fixtureHost('vm-basic', 0));
  assert.equal(stat.cores.size, 2);
  assert.ok(stat.total.user > 0 && stat.total.idle > 0);
});

test('parseProcStat() leaves guest time out because user already counts it', () => {
  const stat = parseProcStat('cpu  100 0 50 800 10 0 0 0 40 0\ncpu0 100 0 50 800 10 0 0 0 40 0\n');
  assert.equal(stat.total.user, 100);
  assert.equal(stat.total.steal, 0);
});

test('parseProcStat() rejects text without a cpu line and non-numeric fields', () => {
  assert.throws(() => parseProcStat('intr 1 2 3\n'), SyntaxError);
  assert.throws(() => parseProcStat('cpu  1 x 3 4 5 6 7 8\n'), /Cannot parse \/proc\/stat line/);
});

test('cpuUsageBetween() splits busy time by mode and refuses counters that went backwards', () => {
  const before = { user: 100, nice: 0, system: 50, idle: 800, iowait: 50, irq: 0, softirq: 0, steal: 0 };
  const after = { user: 160, nice: 20, system: 70, idle: 850, iowait: 70, irq: 5, softirq: 5, steal: 20 };
  const usage = cpuUsageBetween(before, after);
  assert.deepEqual(usage, { busyPercent: 65, userPercent: 40, systemPercent: 15, iowaitPercent: 10, stealPercent: 10 });
  assert.equal(cpuUsageBetween(after, before), undefined);
  assert.equal(cpuUsageBetween(before, before), undefined);
});

test('parseLoadavg() reads the three averages and rejects garbage', () => {
  assert.deepEqual(parseLoadavg('0.52 0.40 0.33 2/300 1234\n'), { load1: 0.52, load5: 0.4, load15: 0.33 });
  assert.throws(() => parseLoadavg('nope'), SyntaxError);
  assert.ok(readLoadavg(fixtureHost('vm-basic', 0)).load15 >= 0);
});
