/**
 * @module Slack `chat.postMessage`, sent form-encoded with `blocks` as a JSON string: the shape
 * Slack's own spec describes, so every request can be validated against it.
 */
import { createHmac } from 'node:crypto';
import type { OutboundMessage, SendResult } from '../core-contract.ts';
import { type ChannelDeps, DEFAULT_TIMEOUT_MS, resolveDeps } from '../http/channel-deps.ts';
import { encodeForm } from '../http/form-encoding.ts';
import { answerFailure, classifyByRule } from '../http/http-classification.ts';
import { callProvider } from '../http/provider-call.ts';
import type { ProviderChannel } from '../provider-channel.ts';
import { renderingText } from '../rendering-text.ts';
import type { AdapterConfig, ChannelSendOptions } from '../send-options.ts';
import { safeEqual } from '../signatures/constant-time.ts';
import { SLACK_ERROR_RULES } from './slack-errors.ts';

export interface SlackCredentials {
  /** A bot token (`xoxb-…`) with `chat:write`. */
  botToken: string;
  /** A channel ID (`C…`, `G…`) or user ID for a DM; names are not IDs. */
  channelId: string;
}

export interface SlackConfig extends AdapterConfig {
  baseUrl?: string;
}

const LABEL = 'Slack';

/** Creates the Slack channel; the provider message id is `channel:ts`, since a ts is unique only per channel. */
export const createSlack = (
  config: SlackConfig = {},
  deps: ChannelDeps = {},
): ProviderChannel<SlackCredentials, 'slack', 'slack'> => {
  const resolved = resolveDeps(deps);
  const baseUrl = config.baseUrl ?? 'https://slack.com/api';
  return {
    provider: 'slack',
    channel: 'slack',
    async send(
      message: OutboundMessage,
      credentials: SlackCredentials,
      options: ChannelSendOptions = {},
    ): Promise<SendResult> {
      const { rendering } = message;
      const body = encodeForm([
        ['channel', credentials.channelId],
        ['text', renderingText(rendering)],
        [
          'blocks',
          rendering.channel === 'slack' && rendering.blocks.length > 0
            ? JSON.stringify(rendering.blocks)
            : undefined,
        ],
        ['unfurl_links', 'false'],
      ]);
      const outcome = await callProvider(
        resolved,
        {
          method: 'POST',
          url: `${baseUrl}/chat.postMessage`,
          headers: {
            authorization: `Bearer ${credentials.botToken}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body,
        },
        { label: LABEL, timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal: options.signal },
      );
      if (!outcome.ok) return outcome;
      const { response } = outcome;
      const json = response.json as
        | { ok?: unknown; error?: unknown; channel?: unknown; ts?: unknown }
        | undefined;
      if (response.status === 200 && json?.ok === true && typeof json.ts === 'string') {
        const channel = typeof json.channel === 'string' ? json.channel : credentials.channelId;
        return { ok: true, providerMessageId: `${channel}:${json.ts}` };
      }
      const code = typeof json?.error === 'string' ? json.error : undefined;
      const rule = code === undefined ? undefined : SLACK_ERROR_RULES.get(code);
      // Slack answers its errors with 200 and `ok:false`; one not in the table is a request we got wrong.
      if (rule === undefined && response.status === 200) {
        return {
          ok: false,
          error: answerFailure(LABEL, response, 'invalid_request', 'permanent', {
            providerCode: code,
          }),
        };
      }
      return { ok: false, error: classifyByRule(LABEL, response, resolved, code, rule) };
    },
  };
};

/**
 * Verifies Slack request signing v0 (interactivity on our messages): `v0=` hex HMAC-SHA256 of
 * `v0:{timestamp}:{body}` with the Signing Secret, refusing timestamps over 5 minutes off.
 */
export const verifySlackSignature = (input: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  now: Date;
}): boolean => {
  const { timestamp, signature } = input;
  if (timestamp === undefined || signature === undefined || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(input.now.getTime() / 1000 - Number(timestamp)) > 300) return false;
  const expected = `v0=${createHmac('sha256', input.signingSecret).update(`v0:${timestamp}:${input.rawBody}`).digest('hex')}`;
  return safeEqual(expected, signature);
};
