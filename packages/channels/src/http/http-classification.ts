/**
 * @module Reading a provider's failed answer: the failure an adapter has already named, a
 * provider error code's rule, and the fallback by HTTP status when the provider's code says
 * nothing more.
 */
import type { FailureClass, SendFailure } from '../core-contract.ts';
import type { ResolvedDeps } from './channel-deps.ts';
import type { ProviderResponse } from './provider-call.ts';
import { resetHeaderMs, retryAfterMs } from './retry-after.ts';
import { type SendFailureCode, sendFailure } from './send-failures.ts';

/** Where one provider error code lands among our failures: what to do, and the code to record. */
export type ErrorRule = readonly [FailureClass, SendFailureCode];

/** The failure an answer means once the adapter has named it; the body stays in `providerBody`. */
export const answerFailure = (
  label: string,
  response: ProviderResponse,
  code: SendFailureCode,
  cls: FailureClass,
  extra: { providerCode?: string | number | undefined; retryAfterMs?: number | undefined } = {},
): SendFailure =>
  sendFailure({
    label,
    code,
    class: cls,
    providerStatus: response.status,
    providerCode: extra.providerCode,
    providerBody: response.text,
    retryAfterMs: extra.retryAfterMs,
  });

/**
 * Classifies by the provider's own error code when its table has a rule for it (a retryable rule
 * carries the `Retry-After` wait), else by HTTP status with the code kept for the record.
 */
export const classifyByRule = (
  label: string,
  response: ProviderResponse,
  deps: ResolvedDeps,
  providerCode: string | number | undefined,
  rule: ErrorRule | undefined,
): SendFailure => {
  if (rule === undefined) return classifyHttpStatus(label, response, deps, providerCode);
  const [cls, code] = rule;
  return answerFailure(label, response, code, cls, {
    providerCode,
    retryAfterMs: cls === 'retryable' ? retryAfterMs(response.headers, deps.clock) : undefined,
  });
};

/** Classifies by status alone: 429/5xx retryable (with Retry-After), 401/403 auth, other 4xx permanent. */
export const classifyHttpStatus = (
  label: string,
  response: ProviderResponse,
  deps: ResolvedDeps,
  providerCode?: string | number,
): SendFailure => {
  const { status } = response;
  const common = { label, providerStatus: status, providerCode, providerBody: response.text };
  if (status === 429) {
    return sendFailure({
      ...common,
      code: 'rate_limited',
      class: 'retryable',
      retryAfterMs: retryAfterMs(response.headers, deps.clock),
    });
  }
  if (status >= 500 || status === 408) {
    return sendFailure({
      ...common,
      code: 'provider_unavailable',
      class: 'retryable',
      retryAfterMs: retryAfterMs(response.headers, deps.clock),
    });
  }
  if (status === 401 || status === 403) {
    return sendFailure({ ...common, code: 'provider_auth', class: 'permanent' });
  }
  if (status === 404)
    return sendFailure({ ...common, code: 'provider_config', class: 'permanent' });
  if (status === 413)
    return sendFailure({ ...common, code: 'content_rejected', class: 'permanent' });
  if (status >= 400) return sendFailure({ ...common, code: 'invalid_request', class: 'permanent' });
  return sendFailure({ ...common, code: 'unexpected_response', class: 'permanent' });
};

/**
 * A rate limit without `Retry-After` waits until the provider's Unix-seconds reset header instead
 * (SendGrid and Intercom send `X-RateLimit-Reset` on 429); any other failure is returned as is.
 */
export const withRateLimitReset = (
  failure: SendFailure,
  response: ProviderResponse,
  deps: ResolvedDeps,
  header = 'x-ratelimit-reset',
): SendFailure => {
  if (failure.code !== 'rate_limited' || failure.retryAfterMs !== undefined) return failure;
  const wait = resetHeaderMs(response.headers, header, deps.clock);
  return wait === undefined ? failure : { ...failure, retryAfterMs: wait };
};
