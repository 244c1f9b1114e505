/**
 * @module Stable failure codes shared by every adapter, and the one constructor that turns a
 * provider's answer into a `SendFailure` without ever copying its body into the message.
 */
import type { FailureClass, SendFailure } from '../core-contract.ts';

/** Codes are only ever added, never renamed: the engine and the admin UI branch on them. */
export const SEND_FAILURE_CODES = [
  'timeout',
  'aborted',
  'network_error',
  'rate_limited',
  'provider_unavailable',
  'invalid_recipient',
  'recipient_unreachable',
  'invalid_request',
  'content_rejected',
  'template_rejected',
  'provider_auth',
  'provider_config',
  'recipient_opted_out',
  'not_subscribed',
  'window_closed',
  'unexpected_response',
] as const;
export type SendFailureCode = (typeof SEND_FAILURE_CODES)[number];

const SENTENCES: Record<SendFailureCode, string> = {
  timeout: 'did not answer in time; the message may or may not have been accepted',
  aborted: 'the send was cancelled before the provider answered',
  network_error: 'could not be reached',
  rate_limited: 'is rate limiting this account',
  provider_unavailable: 'is temporarily unavailable',
  invalid_recipient: 'rejected the recipient address',
  recipient_unreachable: 'cannot reach this recipient on this channel',
  invalid_request: 'rejected the request as invalid',
  content_rejected: 'rejected the message content',
  template_rejected: 'rejected the message template or its parameters',
  provider_auth: 'rejected the credentials; check the channel set-up',
  provider_config: 'rejected the sender or account configuration; check the channel set-up',
  recipient_opted_out: 'reports that the recipient opted out',
  not_subscribed: 'has no subscribed destination for this recipient',
  window_closed: 'requires an approved template outside the 24-hour session window',
  unexpected_response: 'answered in a way this adapter does not understand',
};

export interface FailureInput {
  /** Human label of the provider, e.g. `Twilio`; the message never carries anything else of theirs. */
  label: string;
  code: SendFailureCode;
  class: FailureClass;
  providerStatus?: number | undefined;
  providerCode?: string | number | undefined;
  providerBody?: string | undefined;
  retryAfterMs?: number | undefined;
}

/** Builds a `SendFailure` whose `message` is ours alone; provider text stays in `providerBody`. */
export const sendFailure = (input: FailureInput): SendFailure => ({
  code: input.code,
  class: input.class,
  message: `${input.label} ${SENTENCES[input.code]}.`,
  ...(input.providerStatus === undefined ? {} : { providerStatus: input.providerStatus }),
  ...(input.providerCode === undefined ? {} : { providerCode: String(input.providerCode) }),
  ...(input.providerBody === undefined || input.providerBody === ''
    ? {}
    : { providerBody: input.providerBody }),
  ...(input.retryAfterMs === undefined ? {} : { retryAfterMs: input.retryAfterMs }),
});
