/** @module Twilio's error codes sorted into our failure classes (channels.md §1). */
import type { ErrorRule as Rule } from '../http/http-classification.ts';

/** Codes Twilio returns on create (HTTP 4xx) or later in `ErrorCode`, by what we should do. */
export const TWILIO_ERROR_RULES: ReadonlyMap<number, Rule> = new Map<number, Rule>([
  [20429, ['retryable', 'rate_limited']],
  [30001, ['retryable', 'provider_unavailable']],
  [30008, ['retryable', 'provider_unavailable']],
  [30022, ['retryable', 'rate_limited']],
  [30023, ['retryable', 'rate_limited']],
  [30003, ['retryable', 'recipient_unreachable']],
  [21211, ['permanent', 'invalid_recipient']],
  [21614, ['permanent', 'invalid_recipient']],
  [21612, ['permanent', 'recipient_unreachable']],
  [21617, ['permanent', 'content_rejected']],
  [21602, ['permanent', 'content_rejected']],
  [30005, ['permanent', 'recipient_unreachable']],
  [30006, ['permanent', 'recipient_unreachable']],
  [30007, ['permanent', 'content_rejected']],
  // The recipient may have blocked this sender: suppress for the sender, not a global opt-out.
  [30004, ['permanent', 'recipient_unreachable']],
  [20003, ['permanent', 'provider_auth']],
  [21606, ['permanent', 'provider_config']],
  [21408, ['permanent', 'provider_config']],
  [30034, ['permanent', 'provider_config']],
  [30032, ['permanent', 'provider_config']],
  [30002, ['permanent', 'provider_config']],
  // The recipient replied STOP to this sender: record the opt-out, never retry.
  [21610, ['consent', 'recipient_opted_out']],
]);
