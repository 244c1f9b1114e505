/** @module Meta's WhatsApp Cloud API error codes sorted into our failure classes (channels.md §2). */
import type { ErrorRule as Rule } from '../http/http-classification.ts';

const rules: Array<[number[], Rule]> = [
  [
    [130429, 131056, 131048, 4, 80007],
    ['retryable', 'rate_limited'],
  ],
  [
    [131000, 131016, 1, 2],
    ['retryable', 'provider_unavailable'],
  ],
  [[131026], ['permanent', 'recipient_unreachable']],
  [[131021], ['permanent', 'invalid_recipient']],
  [
    [100, 131008, 131009, 131051],
    ['permanent', 'invalid_request'],
  ],
  [
    [132000, 132001, 132005, 132007, 132012, 132015, 132016],
    ['permanent', 'template_rejected'],
  ],
  [
    [133010, 131031, 131042, 368, 130472],
    ['permanent', 'provider_config'],
  ],
  [
    [190, 0, 3, 10],
    ['permanent', 'provider_auth'],
  ],
  // The user turned marketing messages off: a consent fact (marketing scope) to record.
  [[131050], ['consent', 'recipient_opted_out']],
  // More than 24 h since the user last wrote: not consent, resend as the approved template.
  [[131047], ['window', 'window_closed']],
];

/** Meta error `code` → what to do; 200–299 (permissions) are matched by range in `whatsappRule`. */
export const WHATSAPP_ERROR_RULES: ReadonlyMap<number, Rule> = new Map(
  rules.flatMap(([codes, rule]) => codes.map((code): [number, Rule] => [code, rule])),
);

/** 131049 (per-user marketing frequency cap): retry, but not for a day, and never as an opt-out. */
export const FREQUENCY_CAP_CODE = 131049;
export const FREQUENCY_CAP_WAIT_MS = 24 * 60 * 60 * 1000;

/** Looks a Meta error code up, including the 200–299 permission range. */
export const whatsappRule = (code: number): Rule | undefined =>
  WHATSAPP_ERROR_RULES.get(code) ??
  (code >= 200 && code <= 299 ? ['permanent', 'provider_auth'] : undefined);
