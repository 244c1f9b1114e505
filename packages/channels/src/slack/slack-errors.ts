/** @module Slack Web API `error` strings sorted into our failure classes (channels.md §7). */
import type { ErrorRule as Rule } from '../http/http-classification.ts';

const rules: Array<[string[], Rule]> = [
  [
    ['ratelimited', 'rate_limited'],
    ['retryable', 'rate_limited'],
  ],
  [
    ['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'],
    ['retryable', 'provider_unavailable'],
  ],
  [
    ['channel_not_found', 'not_in_channel', 'is_archived', 'restricted_action'],
    ['permanent', 'provider_config'],
  ],
  [
    ['msg_too_long', 'no_text', 'invalid_blocks', 'invalid_blocks_format', 'too_many_attachments'],
    ['permanent', 'content_rejected'],
  ],
  [
    [
      'invalid_arg_name',
      'invalid_array_arg',
      'invalid_charset',
      'invalid_form_data',
      'invalid_post_type',
      'missing_post_type',
    ],
    ['permanent', 'invalid_request'],
  ],
  // token_revoked / account_inactive: the app was removed; disable the destination for the tenant.
  [
    [
      'not_authed',
      'invalid_auth',
      'token_revoked',
      'token_expired',
      'account_inactive',
      'missing_scope',
      'team_access_not_granted',
      'ekm_access_denied',
    ],
    ['permanent', 'provider_auth'],
  ],
];

export const SLACK_ERROR_RULES: ReadonlyMap<string, Rule> = new Map(
  rules.flatMap(([codes, rule]) => codes.map((code): [string, Rule] => [code, rule])),
);
