/** @module MessageBird SMS: `POST https://rest.messagebird.com/messages` and its status reports. */
import type {
  DeliveryState,
  InboundRequest,
  OutboundMessage,
  ReceiptParse,
  SendResult,
} from '../core-contract.ts';
import { type ChannelDeps, DEFAULT_TIMEOUT_MS, resolveDeps } from '../http/channel-deps.ts';
import { classifyHttpStatus } from '../http/http-classification.ts';
import { callProvider } from '../http/provider-call.ts';
import { type SendFailureCode, sendFailure } from '../http/send-failures.ts';
import type { ReceivingChannel } from '../provider-channel.ts';
import { renderingText } from '../rendering-text.ts';
import type { AdapterConfig, ChannelSendOptions } from '../send-options.ts';
import { headerOf } from '../signatures/constant-time.ts';
import { verifyMessagebirdJwt } from './messagebird-signature.ts';

export interface MessagebirdCredentials {
  /** A live or test access key. */
  accessKey: string;
  /** E.164 digits or an alphanumeric sender of at most 11 characters. */
  originator: string;
  /** The signing key for `MessageBird-Signature-JWT` (separate from the access key). */
  signingKey?: string;
}

export interface MessagebirdSmsConfig extends AdapterConfig {
  baseUrl?: string;
  /** Default `reportUrl` when the message carries no status callback. */
  reportUrl?: string;
}

const LABEL = 'MessageBird';

/** MessageBird report `status` → canonical state. */
export const MESSAGEBIRD_DELIVERY_STATES: Readonly<Record<string, DeliveryState>> = {
  scheduled: 'queued',
  buffered: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  expired: 'undelivered',
  delivery_failed: 'failed',
};

/** MessageBird error `code` → what to do (channels.md §3). */
const RULES: ReadonlyMap<number, readonly ['retryable' | 'permanent', SendFailureCode]> = new Map([
  [99, ['retryable', 'provider_unavailable']],
  [9, ['permanent', 'invalid_request']],
  [10, ['permanent', 'invalid_request']],
  [20, ['permanent', 'provider_config']],
  [21, ['permanent', 'invalid_request']],
  [2, ['permanent', 'provider_auth']],
  [25, ['permanent', 'provider_config']],
  [98, ['permanent', 'provider_config']],
] as const);

/** The JSON body; `reference` = intent id, without which MessageBird sends no reports at all. */
export const messagebirdMessageBody = (
  message: OutboundMessage,
  originator: string,
  to: string,
  reportUrl: string | undefined,
): object => ({
  originator,
  recipients: [to.replace(/^\+/, '')],
  body: renderingText(message.rendering),
  reference: message.intentId,
  ...(reportUrl === undefined ? {} : { reportUrl }),
  datacoding: 'auto',
});

/** Verifies the JWT and parses a status report (sent as a GET with the fields in the query). */
export const parseMessagebirdReport = (
  request: InboundRequest,
  signingKey: string,
  now: Date,
): ReceiptParse => {
  const verdict = verifyMessagebirdJwt({
    token: headerOf(request, 'messagebird-signature-jwt'),
    signingKey,
    url: request.url,
    body: request.rawBody,
    now,
  });
  if (!verdict.ok) {
    const code =
      verdict.reason === 'expired' || verdict.reason === 'not_yet_valid'
        ? 'stale_request'
        : 'bad_signature';
    return { ok: false, error: { code, message: 'The MessageBird signature does not verify.' } };
  }
  const query = new URL(request.url).searchParams;
  const id = query.get('id');
  const state = MESSAGEBIRD_DELIVERY_STATES[query.get('status') ?? ''];
  if (id === null || state === undefined) {
    return {
      ok: false,
      error: {
        code: 'malformed_receipt',
        message: 'The MessageBird report has no id or a status we do not know.',
      },
    };
  }
  const at = query.get('statusDatetime');
  const errorCode = query.get('statusErrorCode');
  const recipient = query.get('recipient');
  return {
    ok: true,
    receipts: [
      {
        providerMessageId: id,
        state,
        at:
          at === null || Number.isNaN(Date.parse(at))
            ? now.toISOString()
            : new Date(at).toISOString(),
        ...(errorCode === null ? {} : { providerCode: errorCode }),
        ...(recipient === null ? {} : { contact: `+${recipient}` }),
      },
    ],
    inbound: [],
  };
};

/** Creates the MessageBird SMS channel; no idempotency key, so reconcile by `reference`. */
export const createMessagebirdSms = (
  config: MessagebirdSmsConfig = {},
  deps: ChannelDeps = {},
): ReceivingChannel<MessagebirdCredentials, 'messagebird', 'sms'> => {
  const resolved = resolveDeps(deps);
  const baseUrl = config.baseUrl ?? 'https://rest.messagebird.com';
  return {
    provider: 'messagebird',
    channel: 'sms',
    async send(
      message: OutboundMessage,
      credentials: MessagebirdCredentials,
      options: ChannelSendOptions = {},
    ): Promise<SendResult> {
      if (message.to === undefined || message.to === '') {
        return {
          ok: false,
          error: sendFailure({ label: LABEL, code: 'invalid_recipient', class: 'permanent' }),
        };
      }
      const outcome = await callProvider(
        resolved,
        {
          method: 'POST',
          url: `${baseUrl}/messages`,
          headers: {
            authorization: `AccessKey ${credentials.accessKey}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify(
            messagebirdMessageBody(
              message,
              credentials.originator,
              message.to,
              message.statusCallbackUrl ?? config.reportUrl,
            ),
          ),
        },
        { label: LABEL, timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal: options.signal },
      );
      if (!outcome.ok) return outcome;
      const { response } = outcome;
      const json = response.json as
        | { id?: unknown; errors?: Array<{ code?: unknown }> }
        | undefined;
      if (response.status === 201 && typeof json?.id === 'string')
        return { ok: true, providerMessageId: json.id };
      const code = json?.errors?.[0]?.code;
      const rule = typeof code === 'number' ? RULES.get(code) : undefined;
      if (rule === undefined)
        return {
          ok: false,
          error: classifyHttpStatus(
            LABEL,
            response,
            resolved,
            typeof code === 'number' ? code : undefined,
          ),
        };
      return {
        ok: false,
        error: sendFailure({
          label: LABEL,
          code: rule[1],
          class: rule[0],
          providerStatus: response.status,
          providerCode: code as number,
          providerBody: response.text,
        }),
      };
    },
    parseReceipt: (request, credentials) =>
      parseMessagebirdReport(request, credentials.signingKey ?? '', resolved.clock.now()),
  };
};
