import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTestIo } from '../../../test/helpers/test-io.ts';
import { CannotWriteError, NoInputError, UsageError } from '../../errors.ts';
import { HistoryDb } from '../../store/history-db.ts';
import { parseReportTime, runReport } from './report-action.ts';

process.env.TZ = 'UTC';
const NOW = Date.UTC(2026, 10, 27, 8, 0, 0);

test('report windows: durations back from now, ISO-8601 times, anything else refused', () => {
  assert.equal(parseReportTime('24h', NOW, '--since'), NOW - 86_400_000);
  assert.equal(parseReportTime('90m', NOW, '--since'), NOW - 90 * 60_000);
  assert.equal(parseReportTime('2026-11-26T22:00:00Z', NOW, '--since'), Date.UTC(2026, 10, 26, 22));
  assert.equal(parseReportTime('2026-11-26', NOW, '--until'), Date.parse('2026-11-26'));
  assert.throws(() => parseReportTime('yesterday', NOW, '--since'), UsageError);
  assert.throws(() => parseReportTime('2026-13-45', NOW, '--until'), /Option --until needs/);
});

test('runReport reads the configured history and writes every format; the HTML page lands where asked', async () => {
  const io = createTestIo();
  const db = join(io.env.HOME!, '.local', 'share', 'argus', 'history.db');
  mkdirSync(join(db, '..'), { recursive: true });
  const history = new HistoryDb(db, { retentionMs: 86_400_000 });
  for (let minute = 0; minute < 30; minute++)
    history.record({
      host: 'web1',
      intervalMs: 60_000,
      results: [
        {
          check: 'ram',
          instance: '',
          status: minute >= 20 ? 'WARN' : 'OK',
          details: minute >= 20 ? '91% used [WARN used_percent=91 (>= 85)]' : '40% used',
          ts: NOW - (30 - minute) * 60_000,
          metrics: { used_percent: minute >= 20 ? 91 : 40 },
          ...(minute >= 20
            ? { breach: { metric: 'used_percent', value: 91, level: 'warn' as const, worse: 'higher' as const } }
            : {}),
        },
      ],
    });
  history.close();

  await runReport(io, { since: '1h', output: 'table', html: 'night.html' }, NOW);
  const table = io.out.join('');
  assert.match(table, /Argus report for web1/);
  assert.match(table, /│ ram +│ +│ used_percent +│ 40\.0% +│ 57\.0% +│ 91\.0% +│ 91\.0% +│ 91\.0% +│/);
  assert.match(table, /WARN used_percent=91 \(>= 85\)/, 'the breach, not the whole summary, in the terminal');
  assert.match(table, /ongoing/);
  assert.ok(existsSync(join(io.cwd, 'night.html')));
  assert.match(readFileSync(join(io.cwd, 'night.html'), 'utf8'), /"metric":"used_percent"/);
  assert.match(io.err.join(''), /wrote .*night\.html/);

  for (const output of ['json', 'csv', 'markdown'] as const) {
    io.out.length = 0;
    await runReport(io, { since: '1h', output, db }, NOW);
    assert.ok(io.out.join('').includes('used_percent'), output);
  }
  await assert.rejects(
    runReport(io, { since: '1h', output: 'table', html: '/nonexistent/dir/x.html' }, NOW),
    CannotWriteError,
  );
  await assert.rejects(runReport(io, { since: '1h', until: '2h', output: 'table' }, NOW), /window is empty/);
  await assert.rejects(
    runReport(io, { since: '1h', output: 'table', check: 'cpu' }, NOW),
    /Unknown check "cpu" in --check/,
  );
  await assert.rejects(
    runReport(io, { since: '1h', until: '30m', output: 'table', check: 'ram' }, NOW + 86_400_000),
    /Nothing recorded for ram/,
  );
  const empty = join(io.env.HOME!, 'empty.db');
  new HistoryDb(empty, { retentionMs: 86_400_000 }).close();
  await assert.rejects(runReport(io, { since: '1h', output: 'table', db: empty }, NOW), NoInputError);
});
