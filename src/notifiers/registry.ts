import { alertmanagerNotifier } from './alertmanager.ts';
import { commandNotifier } from './command.ts';
import { emailNotifier } from './email.ts';
import type { NotifierDefinition } from './notifier.ts';
import { slackNotifier } from './slack.ts';
import { webhookNotifier } from './webhook.ts';

/** The notifiers users can configure under `alerts.notify`; key = `type`. */
export const notifiers = {
  webhook: webhookNotifier,
  slack: slackNotifier,
  email: emailNotifier,
  command: commandNotifier,
  alertmanager: alertmanagerNotifier,
} satisfies Record<string, NotifierDefinition>;

export type NotifierType = keyof typeof notifiers;
export const notifierTypes = Object.keys(notifiers) as NotifierType[];
