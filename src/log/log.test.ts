import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { appendAudit, defaultAuditPath } from './audit.ts';
import { createLogRouter } from './logger.ts';
import { redactSecrets, redactString } from './redact.ts';
import { openRotatingFile } from './rotating-file.ts';

const at = () => new Date('2026-11-27T12:00:00Z');

test('logger filters by level, names the module and redacts secrets in messages and fields', () => {
  const lines: string[] = [];
  const router = createLogRouter({ level: 'INFO', outputs: [{ write: (line) => lines.push(line) }], now: at });
  const log = router.logger.child('sinks').child('webhook');
  log.debug('hidden');
  log.info('posting to https://bob:hunter2@hooks.example/x?token=abc', { token: 'abc', attempt: 2, note: 'two words' });
  router.setLevel('ERROR');
  log.warning('hidden too');
  log.error('failed', { reason: undefined });
  assert.deepEqual(lines, [
    '2026-11-27T12:00:00.000Z INFO    argus.sinks.webhook: posting to https://***@hooks.example/x?token=*** token=*** attempt=2 note="two words"\n',
    '2026-11-27T12:00:00.000Z ERROR   argus.sinks.webhook: failed\n',
  ]);
  router.setOutputs([]);
  log.error('nowhere');
  assert.equal(lines.length, 2);
});

test('redactSecrets() blanks secret keys at any depth and leaves the rest', () => {
  assert.deepEqual(
    redactSecrets({
      url: 'https://u:p@h/',
      nested: [{ api_key: 'k', password: '', keep: 1 }],
      Authorization: 'Bearer x',
    }),
    {
      url: 'https://***@h/',
      nested: [{ api_key: '***', password: '', keep: 1 }],
      Authorization: '***',
    },
  );
  assert.equal(redactString('Authorization: Bearer abc.def'), 'Authorization: Bearer ***');
});

test('openRotatingFile() rotates by size and keeps the configured number of files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-log-'));
  const path = join(dir, 'sub', 'argus.log');
  const file = openRotatingFile(path, { maxBytes: 100, maxFiles: 2 });
  for (let line = 0; line < 12; line += 1) file.write(`${String(line).padStart(2, '0')} ${'x'.repeat(36)}\n`);
  file.close();
  // 40-byte lines under a 100-byte cap: two lines per file, the newest pair in the live file.
  assert.ok(readFileSync(path, 'utf8').startsWith('10'));
  assert.ok(readFileSync(`${path}.1`, 'utf8').startsWith('08'));
  assert.ok(readFileSync(`${path}.2`, 'utf8').startsWith('06'));
  assert.equal(existsSync(`${path}.3`), false);
  assert.equal(file.dropped, 0);
});

test('openRotatingFile() counts lines it could not write instead of throwing', () => {
  const file = openRotatingFile(join(mkdtempSync(join(tmpdir(), 'argus-log-')), 'a.log'), {
    maxBytes: 1000,
    maxFiles: 1,
  });
  file.close();
  file.write('after close\n');
  assert.equal(file.dropped, 1);
});

test('appendAudit() writes redacted JSON lines and returns errors instead of throwing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-audit-'));
  const path = join(dir, 'state', 'argus', 'audit.log');
  assert.equal(defaultAuditPath({ XDG_STATE_HOME: join(dir, 'state') }), path);
  assert.equal(defaultAuditPath({ HOME: '/home/x' }), '/home/x/.local/state/argus/audit.log');
  assert.equal(
    appendAudit(path, { event: 'config_load', path: '/etc/argus/config.yaml', sha256: 'ab', ok: true }, at()),
    undefined,
  );
  const record = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  assert.deepEqual(
    { ...record, pid: 0 },
    {
      time: '2026-11-27T12:00:00.000Z',
      pid: 0,
      event: 'config_load',
      path: '/etc/argus/config.yaml',
      sha256: 'ab',
      ok: true,
    },
  );
  for (let event = 0; event < 5; event += 1)
    appendAudit(path, { event: 'config_load', path: null, sha256: null, ok: true }, at(), 200);
  assert.ok(readFileSync(`${path}.1`, 'utf8').length > 200, 'rotated past the limit');
  assert.ok(readFileSync(path, 'utf8').length <= 400);
  // A path through a regular file fails with ENOTDIR. (Not /proc: Node 20's recursive mkdir spins forever there.)
  assert.ok(
    appendAudit(join(path, 'nested', 'audit.log'), {
      event: 'internal_error',
      message: 'x',
      stack: undefined,
    }) instanceof Error,
  );
});
