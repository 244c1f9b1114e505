/**
 * @module The dev sink: the embedded default channel. It stores and prints what would have been
 * sent, so a newcomer sees messages without any provider account. It never does network I/O.
 */
import type { ChannelKind } from '@tidings/core';
import type { OutboundMessage, SendFailure, SendResult } from '../core-contract.ts';
import type { ChannelDeps } from '../http/channel-deps.ts';
import { resolveDeps } from '../http/channel-deps.ts';
import { sendFailure } from '../http/send-failures.ts';
import type { ProviderChannel } from '../provider-channel.ts';
import { renderingText } from '../rendering-text.ts';
import type { ChannelSendOptions } from '../send-options.ts';

export interface SunkMessage {
  providerMessageId: string;
  at: string;
  message: OutboundMessage;
}

export interface DevSinkConfig {
  channel: ChannelKind;
  /** Where to print; defaults to `console.log`. Pass `() => {}` to stay quiet. */
  print?: (line: string) => void;
  /** Lets a developer rehearse fallbacks: return a failure to simulate one for this message. */
  simulateFailure?: (message: OutboundMessage) => SendFailure | undefined;
}

export type DevSink = ProviderChannel<unknown, 'dev-sink', ChannelKind> & {
  /** Everything "sent" so far, oldest first (what `/dev/inbox` shows). */
  messages(): readonly SunkMessage[];
  clear(): void;
};

/** Creates a dev sink for one channel kind. */
export const createDevSink = (config: DevSinkConfig, deps: ChannelDeps = {}): DevSink => {
  const { clock } = resolveDeps(deps);
  const print = config.print ?? ((line: string) => console.log(line));
  const sunk: SunkMessage[] = [];
  return {
    provider: 'dev-sink',
    channel: config.channel,
    async send(
      message: OutboundMessage,
      _credentials: unknown,
      options: ChannelSendOptions = {},
    ): Promise<SendResult> {
      if (options.signal?.aborted === true) {
        return {
          ok: false,
          error: sendFailure({ label: 'The dev sink', code: 'aborted', class: 'retryable' }),
        };
      }
      const simulated = config.simulateFailure?.(message);
      if (simulated !== undefined) return { ok: false, error: simulated };
      const entry: SunkMessage = {
        providerMessageId: `dev_${sunk.length + 1}`,
        at: clock.now().toISOString(),
        message,
      };
      sunk.push(entry);
      const text = renderingText(message.rendering).replace(/\s+/g, ' ').slice(0, 120);
      print(
        `[dev-sink ${config.channel}] ${message.to ?? '(team channel)'} ← ${message.templateKey} for order ${message.orderRef}: ${text}`,
      );
      return { ok: true, providerMessageId: entry.providerMessageId };
    },
    messages: () => [...sunk],
    clear: () => {
      sunk.length = 0;
    },
  };
};
