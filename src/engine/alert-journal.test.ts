import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlertEvent } from '../alerts/alert-state.ts';
import { toNotification } from '../notifiers/dispatcher.ts';
import { createAlertJournal } from './alert-journal.ts';

const event = (at: number, kind: AlertEvent['kind'] = 'firing'): AlertEvent => ({
  kind,
  key: 'disk//',
  check: 'disk',
  instance: '/',
  status: 'CRIT',
  previous: 'OK',
  startsAt: 1000,
  at,
  details: '97% used',
  metrics: { used_percent: 97 },
});

test('the journal keeps the newest events first, each with every notifier latest outcome under its key', () => {
  const journal = createAlertJournal('web1', 3);
  journal.add([event(1000), event(1060, 'repeat')]);
  const id = toNotification(event(1000), 'web1').idempotency_key;
  journal.delivery(id, 'ops', 'queued');
  journal.delivery(id, 'ops', 'retrying', 'HTTP 503');
  journal.delivery(id, 'ops', 'delivered');
  journal.delivery(id, 'pager', 'dropped', 'HTTP 400');
  journal.delivery('unknown', 'ops', 'delivered');
  const [newest, oldest] = journal.entries();
  assert.deepEqual([newest?.kind, newest?.at, oldest?.at], ['repeat', 1_060_000, 1_000_000]);
  assert.deepEqual(oldest?.deliveries, {
    ops: { outcome: 'delivered' },
    pager: { outcome: 'dropped', reason: 'HTTP 400' },
  });
  assert.deepEqual([oldest?.check, oldest?.instance, oldest?.status, oldest?.previous], ['disk', '/', 'CRIT', 'OK']);
});

test('the journal is bounded: past its limit the oldest events and their keys go', () => {
  const journal = createAlertJournal('web1', 2);
  journal.add([event(1), event(2), event(3)]);
  assert.deepEqual(
    journal.entries().map((entry) => entry.at),
    [3000, 2000],
  );
  const gone = toNotification(event(1), 'web1').idempotency_key;
  journal.delivery(gone, 'ops', 'delivered');
  assert.ok(journal.entries().every((entry) => Object.keys(entry.deliveries).length === 0));
});
