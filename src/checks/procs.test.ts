import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v from 'valibot';
import { assertCheckContract, runSnapshots } from '../../test/helpers/check-contract.ts';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { judge, resolveThresholds } from './thresholds.ts';
import { procsCheck } from './procs.ts';

const hosts = [fixtureHost('procs', 0), fixtureHost('procs', 1)];

test('procs without groups counts every process, its threads, memory, zombies and CPU', async () => {
  const [first, second] = await runSnapshots(procsCheck, hosts);
  assert.ok(first && second);
  assert.equal(first[0]?.metrics.count, 4);
  assert.equal(first[0]?.metrics.zombies, 1);
  assert.equal(first[0]?.metrics.cpu_percent, undefined, 'no CPU share from one sample');
  assert.equal(second[0]?.metrics.count, 3, 'the zombie was reaped by the second recording');
  assert.equal(second[0]?.metrics.zombies, 0);
  assert.ok((second[0]?.metrics.cpu_percent ?? 0) >= 101, 'the busy loop burned 1.01 s of CPU in 1 s');
  assertCheckContract(procsCheck, [...first, ...second]);
  assert.match(procsCheck.summarize(first[0] ?? { metrics: {} }), /^4 processes, \d+ threads, .* RSS, 1 zombie$/);
});

test('groups select by name, user, state and command line; every field given must hold', async () => {
  const [readings] = await runSnapshots(procsCheck, [hosts[0]!], {
    match: {
      burner: { name: 'burner --label=' },
      web: { user: 'www-data' },
      web_by_uid: { user: 33 },
      zombies: { state: 'Z' },
      labelled: { argv: '--label=\\(x\\)' },
      none: { user: 'root', argv: 'burner' },
      missing: { name: 'nginx' },
    },
  });
  const counts: Record<string, number | undefined> = Object.fromEntries(
    (readings ?? []).map((reading) => [reading.instance ?? '', reading.metrics.count]),
  );
  assert.deepEqual(counts, { burner: 1, web: 1, web_by_uid: 1, zombies: 1, labelled: 1, none: 0, missing: 0 });
  const missing = readings?.find((reading) => reading.instance === 'missing');
  assert.ok(missing);
  assert.equal(procsCheck.summarize(missing), '0 processes');
  // The check_procs idiom: "nginx must be running" is a critical range of 1: on the count.
  const rules = resolveThresholds(procsCheck, { instances: { missing: { crit: '1:' } } }, 'missing');
  assert.equal(judge(missing.metrics, rules).status, 'CRIT');
});

test('procs options refuse a group without a selector, bad state letters and a broken regex', () => {
  const parse = (match: unknown) => v.safeParse(procsCheck.options, { match });
  assert.equal(parse({ empty: {} }).success, false);
  assert.equal(parse({ odd: { state: 'Q' } }).success, false);
  assert.equal(parse({ broken: { argv: '(' } }).success, false);
  assert.equal(parse({ 'bad name!': { name: 'x' } }).success, false);
  assert.equal(parse({ ok: { state: 'ZD', user: 0 } }).success, true);
});
