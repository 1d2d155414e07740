import { hostname } from 'node:os';
import { UserError } from '../../errors.ts';
import { createNotifier, type NotifyEntry } from '../../notifiers/dispatcher.ts';
import type { Notification } from '../../notifiers/notifier.ts';
import { describeError } from '../../errors.ts';
import type { Io } from '../io.ts';
import { loadAudited } from '../../engine/runtime.ts';

const EX_UNAVAILABLE = 69;

export async function testNotifiers(io: Io, options: { config?: string; notifier?: string }): Promise<number> {
  const { config } = await loadAudited(io, options.config, {});
  const entries: NotifyEntry[] = config.alerts.notify.filter(
    (entry) => options.notifier === undefined || entry.name === options.notifier,
  );
  if (entries.length === 0) {
    const known = config.alerts.notify.map((entry) => entry.name);
    throw new UserError(
      options.notifier
        ? `No notifier "${options.notifier}" in alerts.notify`
        : 'No notifiers configured under alerts.notify',
      {
        hint:
          known.length > 0
            ? `configured: ${known.join(', ')}`
            : 'add one, e.g. { type: webhook, name: ops, url: https://… }',
      },
    );
  }
  const host = hostname();
  const now = new Date().toISOString();
  let failed = 0;
  for (const entry of entries) {
    const notification: Notification = {
      version: 1,
      idempotency_key: `test-${entry.name}-${Date.now()}`,
      kind: 'test',
      alert: 'argus/test',
      check: 'argus',
      instance: 'test',
      status: 'OK',
      previous_status: 'OK',
      details: `Test notification from argus on ${host}: if you read this, "${entry.name}" works`,
      metrics: {},
      host,
      starts_at: now,
      at: now,
    };
    try {
      await createNotifier(entry).send(notification);
      io.stdout(`${entry.name}: delivered\n`);
    } catch (error) {
      failed += 1;
      io.stdout(`${entry.name}: failed: ${error instanceof UserError ? error.message : describeError(error)}\n`);
    }
  }
  return failed === 0 ? 0 : EX_UNAVAILABLE;
}
