/**
 * The approval webhook: an audit export sink (so delivery is durable, at-least-once, retried with
 * back-off and dead-lettered like every sink) that forwards only `approval.requested` events to the
 * configured URL, signed with HMAC-SHA256 when a secret is set. Receivers dedupe on the event id.
 */
import type { SinkConfig } from '../audit/sinks/sink-config.js';
import type { KeywardConfig } from '../config.js';

export function approvalWebhookSinks(
  config: Pick<KeywardConfig, 'approvalWebhookUrl' | 'approvalWebhookSecret'>,
): SinkConfig[] {
  if (!config.approvalWebhookUrl) return [];
  return [
    {
      type: 'webhook',
      name: 'approval-webhook',
      url: config.approvalWebhookUrl,
      types: ['approval.requested'],
      ...(config.approvalWebhookSecret ? { secret: config.approvalWebhookSecret } : {}),
    },
  ];
}
