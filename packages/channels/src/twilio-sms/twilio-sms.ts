/** @module Twilio Programmable Messaging (SMS): `POST /2010-04-01/Accounts/{Sid}/Messages.json`. */
import { type ChannelDeps, resolveDeps } from '../http/channel-deps.ts';
import { encodeForm } from '../http/form-encoding.ts';
import { answerFailure, classifyByRule } from '../http/http-classification.ts';
import { singleRequestSend } from '../http/single-request-send.ts';
import type { ReceivingChannel } from '../provider-channel.ts';
import { renderingText } from '../rendering-text.ts';
import type { AdapterConfig } from '../send-options.ts';
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
    send: singleRequestSend<TwilioCredentials>({
      label: LABEL,
      deps: resolved,
      timeoutMs: config.timeoutMs,
      request: (message, to, credentials) => {
        const user = credentials.apiKey?.sid ?? credentials.accountSid;
        const secret = credentials.apiKey?.secret ?? credentials.authToken;
        return {
          method: 'POST',
          url: `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(credentials.accountSid)}/Messages.json`,
          headers: {
            authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: encodeForm([
            ['To', to],
            ['MessagingServiceSid', credentials.messagingServiceSid],
            ['From', credentials.messagingServiceSid === undefined ? credentials.from : undefined],
            ['Body', renderingText(message.rendering)],
            ['StatusCallback', message.statusCallbackUrl ?? config.statusCallbackUrl],
          ]),
        };
      },
      answer: (response) => {
        const json = response.json as { sid?: unknown; code?: unknown } | undefined;
        if (response.status === 201 || response.status === 200) {
          if (typeof json?.sid === 'string' && json.sid !== '')
            return { ok: true, providerMessageId: json.sid };
          return {
            ok: false,
            error: answerFailure(LABEL, response, 'unexpected_response', 'retryable'),
          };
        }
        const code = typeof json?.code === 'number' ? json.code : undefined;
        const rule = code === undefined ? undefined : TWILIO_ERROR_RULES.get(code);
        return { ok: false, error: classifyByRule(LABEL, response, resolved, code, rule) };
      },
    }),
    parseReceipt: (request, credentials) =>
      parseTwilioRequest(request, credentials.authToken, resolved.clock.now()),
  };
};
