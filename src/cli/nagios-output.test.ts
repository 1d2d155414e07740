import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diskCheck } from '../checks/disk.ts';
import { resolveThresholds } from '../checks/thresholds.ts';
import type { CheckResult } from '../result.ts';
import { perfLabel, perfNumber, renderPluginOutput } from './nagios-output.ts';

// One perfdata item of the Monitoring Plugins guidelines: 'label'=value[UOM];[warn];[crit];[min];[max]
const PERFDATA_ITEM = /^'(?:[^'=]|'')+'=(?:-?[0-9.]+|U)(?:[a-zA-Z%]*)(?:;[^; ]*){0,4}$/;

const result = (instance: string, status: CheckResult['status'], used: number): CheckResult => ({
  name: 'disk',
  instance,
  status,
  metrics: { used_percent: used, free_bytes: 1024 },
  details: `${instance}: ${used}% used`,
  timestamp: '2026-11-27T12:00:00.000Z',
  host: 'h',
  durationMs: 1,
});

const context = {
  mainMetric: 'used_percent',
  unitOf: (metric: string) => diskCheck.metrics.find((spec) => spec.name === metric)?.unit,
  thresholdsOf: (entry: CheckResult) =>
    resolveThresholds(diskCheck, { instances: { '/boot': { crit: '@95:100' } } }, entry.instance),
};

test('renderPluginOutput() writes the plugin line: name, state, what is not OK, perfdata', () => {
  const { text, status } = renderPluginOutput(
    'disk',
    [result('/', 'OK', 40), result("/mnt/it's here", 'WARN', 91.25)],
    context,
  );
  assert.equal(status, 'WARN');
  const [first, ...long] = text.trimEnd().split('\n');
  assert.equal(first?.split(' | ')[0], "DISK WARNING - /mnt/it's here: 91.25% used");
  const perfdata: string[] = first?.split(' | ')[1]?.match(/'(?:[^']|'')+'=\S+/g) ?? [];
  assert.deepEqual(perfdata.slice(0, 2), ["'/'=40%;80;90;0;100", "'/ free_bytes'=1024B"]);
  assert.ok(perfdata.includes("'/mnt/it''s here'=91.25%;80;90;0;100"));
  for (const item of perfdata) assert.match(item, PERFDATA_ITEM);
  assert.deepEqual(long, ['[OK] /: 40% used', "[WARNING] /mnt/it's here: 91.25% used"]);
});

test('renderPluginOutput() shows Nagios ranges as given and says OK briefly for many instances', () => {
  const { text } = renderPluginOutput('disk', [result('/boot', 'OK', 50), result('/', 'OK', 10)], context);
  assert.match(text, /^DISK OK - 2 instances OK \| '\/boot'=50%;80;@95:100;0;100 /);
  assert.equal(renderPluginOutput('gpu', [], context).text, 'GPU UNKNOWN - no results\n');
});

test('perfNumber() never uses exponents; perfLabel() quotes and escapes', () => {
  assert.equal(perfNumber(25276502016), '25276502016');
  assert.equal(perfNumber(0.000001234), '0.000001');
  assert.equal(perfNumber(1.5e21), '1500000000000000000000');
  assert.equal(perfNumber(Number.NaN), 'U');
  assert.equal(perfLabel("a'b=c"), "'a''b_c'");
});
