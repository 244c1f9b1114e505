/** @module Twilio Programmable Messaging (SMS): `POST /2010-04-01/Accounts/{Sid}/Messages.json`. */
import type { OutboundMessage, SendResult } from '../core-contract.ts';
import { type ChannelDeps, DEFAULT_TIMEOUT_MS, resolveDeps } from '../http/channel-deps.ts';
import { encodeForm } from '../http/form-encoding.ts';
import { classifyHttpStatus } from '../http/http-classification.ts';
import { callProvider } from '../http/provider-call.ts';
import { retryAfterMs } from '../http/retry-after.ts';
import { sendFailure } from '../http/send-failures.ts';
import type { ReceivingChannel } from '../provider-channel.ts';
import { renderingText } from '../rendering-text.ts';
import type { AdapterConfig, ChannelSendOptions } from '../send-options.ts';
import { TWILIO_ERROR_RULES } from './twilio-errors.ts';
import { parseTwilioRequest } from './twilio-receipts.ts';

export interface TwilioCredentials {
  accountSid: string;
  /** The account's Auth Token: REST auth (unless an API key is given) and the webhook signing key. */
  authToken: string;
  /** An API key pair (`SK…`) to use for REST instead of the Auth Token. */
  apiKey?: { sid: string; secret: string };
  /** A sender number or alphanumeric id; or use `messagingServiceSid`. */
  from?: string;
  messagingServiceSid?: string;
}

export interface TwilioSmsConfig extends AdapterConfig {
  baseUrl?: string;
  /** Default `StatusCallback` when the message carries none. */
  statusCallbackUrl?: string;
}

const LABEL = 'Twilio';

/** Creates the Twilio SMS channel; Messages create has no idempotency key, so timeouts need reconciling. */
export const createTwilioSms = (
  config: TwilioSmsConfig = {},
  deps: ChannelDeps = {},
): ReceivingChannel<TwilioCredentials, 'twilio', 'sms'> => {
  const resolved = resolveDeps(deps);
  const baseUrl = config.baseUrl ?? 'https://api.twilio.com';
  return {
    provider: 'twilio',
    channel: 'sms',
    async send(
      message: OutboundMessage,
      credentials: TwilioCredentials,
      options: ChannelSendOptions = {},
    ): Promise<SendResult> {
      if (message.to === undefined || message.to === '') {
        return {
          ok: false,
          error: sendFailure({ label: LABEL, code: 'invalid_recipient', class: 'permanent' }),
        };
      }
      const user = credentials.apiKey?.sid ?? credentials.accountSid;
      const secret = credentials.apiKey?.secret ?? credentials.authToken;
      const body = encodeForm([
        ['To', message.to],
        ['MessagingServiceSid', credentials.messagingServiceSid],
        ['From', credentials.messagingServiceSid === undefined ? credentials.from : undefined],
        ['Body', renderingText(message.rendering)],
        ['StatusCallback', message.statusCallbackUrl ?? config.statusCallbackUrl],
      ]);
      const outcome = await callProvider(
        resolved,
        {
          method: 'POST',
          url: `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(credentials.accountSid)}/Messages.json`,
          headers: {
            authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body,
        },
        { label: LABEL, timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal: options.signal },
      );
      if (!outcome.ok) return outcome;
      const { response } = outcome;
      const json = response.json as { sid?: unknown; code?: unknown } | undefined;
      if (response.status === 201 || response.status === 200) {
        if (typeof json?.sid === 'string' && json.sid !== '')
          return { ok: true, providerMessageId: json.sid };
        return {
          ok: false,
          error: sendFailure({
            label: LABEL,
            code: 'unexpected_response',
            class: 'retryable',
            providerStatus: response.status,
            providerBody: response.text,
          }),
        };
      }
      const code = typeof json?.code === 'number' ? json.code : undefined;
      const rule = code === undefined ? undefined : TWILIO_ERROR_RULES.get(code);
      if (rule === undefined)
        return { ok: false, error: classifyHttpStatus(LABEL, response, resolved, code) };
      const [cls, ourCode] = rule;
      return {
        ok: false,
        error: sendFailure({
          label: LABEL,
          code: ourCode,
          class: cls,
          providerStatus: response.status,
          providerCode: code,
          providerBody: response.text,
          retryAfterMs:
            cls === 'retryable' ? retryAfterMs(response.headers, resolved.clock) : undefined,
        }),
      };
    },
    parseReceipt: (request, credentials) =>
      parseTwilioRequest(request, credentials.authToken, resolved.clock.now()),
  };
};
