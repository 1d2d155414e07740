import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureHost, manualClock } from '../../test/helpers/fixture-host.ts';
import { createProcessesApi, MAX_PROCESS_LIMIT } from './processes-api.ts';

interface Answer {
  counts: { total: number; zombie: number };
  sort: string;
  processes: { pid: number; cpu_percent: number | null; rss_bytes: number; command: string; user: string }[];
}

const parse = (body: Buffer) => JSON.parse(body.toString()) as Answer;

test('/api/v1/processes answers the top processes with rates, reads at most once per max age, refuses bad queries', async () => {
  const clock = manualClock();
  let snapshot = 0;
  const api = createProcessesApi({
    host: () => fixtureHost('procs', snapshot),
    monotonicMs: clock.monotonicMs,
    maxAgeMs: 1000,
  });
  // The first read samples twice, a moment apart: the recording's second snapshot stands for "a moment later".
  const first = api(new URLSearchParams('sort=cpu&limit=2'));
  snapshot = 1;
  clock.advance(1000);
  const answer = await first;
  assert.equal(answer.status, 200);
  const body = parse(answer.body);
  assert.equal(body.sort, 'cpu');
  assert.equal(body.processes.length, 2);
  assert.deepEqual(
    { pid: body.processes[0]?.pid, cpu: body.processes[0]?.cpu_percent, user: body.processes[0]?.user },
    { pid: 4689, cpu: 101, user: 'www-data' },
  );
  snapshot = 0; // within the max age the same read is served, whatever the host shows now
  const cached = parse((await api(new URLSearchParams('sort=memory'))).body);
  assert.equal(cached.counts.total, 3);
  assert.equal(cached.processes[0]?.pid, 1, 'PID 1 has the most resident memory of the recording');
  for (const query of ['sort=name', 'limit=0', `limit=${MAX_PROCESS_LIMIT + 1}`, 'limit=ten']) {
    const refused = await api(new URLSearchParams(query));
    assert.equal(refused.status, 400, query);
    assert.match(refused.body.toString(), /"error":/);
  }
});
