/** @module The fallback reading of an HTTP status when a provider's own error code says nothing more. */
import type { SendFailure } from '../core-contract.ts';
import type { ResolvedDeps } from './channel-deps.ts';
import type { ProviderResponse } from './provider-call.ts';
import { retryAfterMs } from './retry-after.ts';
import { sendFailure } from './send-failures.ts';

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
