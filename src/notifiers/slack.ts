import * as v from 'valibot';
import { httpOptions } from '../net/http-options.ts';
import { deliver, requireHttps } from './http-delivery.ts';
import { defineNotifier, type Notification } from './notifier.ts';

const EMOJI: Record<Notification['status'], string> = {
  OK: ':white_check_mark:',
  WARN: ':warning:',
  CRIT: ':rotating_light:',
  UNKNOWN: ':grey_question:',
};

/** The message text: Slack's mrkdwn, with the characters it treats specially escaped so details arrive verbatim. */
export function slackText(notification: Notification): string {
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const what =
    notification.kind === 'resolved'
      ? 'resolved'
      : notification.kind === 'test'
        ? 'test notification'
        : `${notification.status}`;
  return `${EMOJI[notification.status]} *${escape(notification.alert)}* on ${escape(notification.host)}: ${what}\n${escape(notification.details)}`;
}

export const slackNotifier = defineNotifier({
  description: 'Post a message to a Slack incoming webhook',
  options: v.strictObject({ ...httpOptions }),
  validate: requireHttps,
  create: (options) => ({
    async send(notification) {
      const body = JSON.stringify({ text: slackText(notification) });
      await deliver(options.url, body, {
        headers: { 'content-type': 'application/json', 'user-agent': 'argus-monitor' },
        timeoutMs: options.timeout_seconds * 1000,
        caFile: options.ca_file,
      });
    },
  }),
});
