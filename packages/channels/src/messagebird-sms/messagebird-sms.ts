/** @module MessageBird SMS: `POST https://rest.messagebird.com/messages` and its status reports. */
import type {
  DeliveryState,
  InboundRequest,
  OutboundMessage,
  ReceiptParse,
} from '../core-contract.ts';
import { type ChannelDeps, resolveDeps } from '../http/channel-deps.ts';
import { answerFailure, classifyHttpStatus, type ErrorRule } from '../http/http-classification.ts';
import { singleRequestSend } from '../http/single-request-send.ts';
import type { ReceivingChannel } from '../provider-channel.ts';
import { renderingText } from '../rendering-text.ts';
import type { AdapterConfig } from '../send-options.ts';
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
const RULES: ReadonlyMap<number, ErrorRule> = new Map<number, ErrorRule>([
  [99, ['retryable', 'provider_unavailable']],
  [9, ['permanent', 'invalid_request']],
  [10, ['permanent', 'invalid_request']],
  [20, ['permanent', 'provider_config']],
  [21, ['permanent', 'invalid_request']],
  [2, ['permanent', 'provider_auth']],
  [25, ['permanent', 'provider_config']],
  [98, ['permanent', 'provider_config']],
]);

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
    send: singleRequestSend<MessagebirdCredentials>({
      label: LABEL,
      deps: resolved,
      timeoutMs: config.timeoutMs,
      request: (message, to, credentials) => ({
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
            to,
            message.statusCallbackUrl ?? config.reportUrl,
          ),
        ),
      }),
      answer: (response) => {
        const json = response.json as
          | { id?: unknown; errors?: Array<{ code?: unknown }> }
          | undefined;
        if (response.status === 201 && typeof json?.id === 'string')
          return { ok: true, providerMessageId: json.id };
        const first = json?.errors?.[0]?.code;
        const code = typeof first === 'number' ? first : undefined;
        const rule = code === undefined ? undefined : RULES.get(code);
        if (rule === undefined)
          return { ok: false, error: classifyHttpStatus(LABEL, response, resolved, code) };
        // channels.md §3 names no Retry-After for MessageBird: a retryable code keeps the engine's backoff.
        return {
          ok: false,
          error: answerFailure(LABEL, response, rule[1], rule[0], { providerCode: code }),
        };
      },
    }),
    parseReceipt: (request, credentials) =>
      parseMessagebirdReport(request, credentials.signingKey ?? '', resolved.clock.now()),
  };
};
