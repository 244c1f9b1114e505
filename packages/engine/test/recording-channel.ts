/**
 * @module A channel adapter for tests that records every message and answers from a script, and
 * a resolver serving such adapters per channel kind.
 */
import type { Channel, ChannelKind, OutboundMessage, SendOptions, SendResult } from '@tidings/core';
import type { ChannelResolver } from '../src/dispatcher.ts';

export type Script = (
  message: OutboundMessage,
  call: number,
  options: SendOptions | undefined,
) => SendResult;

export interface RecordingChannel extends Channel<unknown> {
  sent: { message: OutboundMessage; options: SendOptions | undefined }[];
}

export const ok: Script = (m, n) => ({ ok: true, providerMessageId: `msg-${m.intentId}-${n}` });

export const createRecordingChannel = (
  kind: ChannelKind,
  script: Script = ok,
): RecordingChannel => {
  const sent: RecordingChannel['sent'] = [];
  return {
    provider: `recording-${kind}`,
    channel: kind,
    sent,
    async send(message, _credentials, options) {
      sent.push({ message, options });
      return script(message, sent.length, options);
    },
  };
};

export const resolverFor = (
  adapters: Partial<Record<ChannelKind, RecordingChannel>>,
): ChannelResolver => ({
  async resolve(_tenantId, kind) {
    const channel = adapters[kind];
    return channel ? { channel, credentials: {}, accountKey: `${kind}-account` } : undefined;
  },
});
