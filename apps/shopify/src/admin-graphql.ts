/**
 * @module A small GraphQL Admin API client over an injected `fetch`: every failure becomes a
 * `SendFailure` the engine knows how to retry (throttling, 5xx, timeouts) or give up on.
 */
import type { SendFailure } from '@tidings/core';
import type { OfflineSession } from './shop-tenants.ts';
import type { FetchLike } from './shopify-library.ts';

export interface AdminGraphqlOptions {
  fetch: FetchLike;
  apiVersion: string;
  /** Default 4 s, so one slow call cannot hold a dispatcher lease for long. */
  timeoutMs?: number;
}

export type GraphqlResult<T> = { ok: true; data: T } | { ok: false; error: SendFailure };

interface GraphqlError {
  message?: string;
  extensions?: {
    code?: string;
    cost?: {
      requestedQueryCost?: number;
      throttleStatus?: { currentlyAvailable?: number; restoreRate?: number };
    };
  };
}

const failure = (
  cls: SendFailure['class'],
  code: string,
  message: string,
  extra: Partial<SendFailure> = {},
): { ok: false; error: SendFailure } => ({
  ok: false,
  error: { class: cls, code, message, ...extra },
});

/** How long until a THROTTLED query's cost is restored, from the cost extension. */
const throttleWaitMs = (errors: readonly GraphqlError[]): number | undefined => {
  const cost = errors.find((e) => e.extensions?.cost)?.extensions?.cost;
  const requested = cost?.requestedQueryCost;
  const available = cost?.throttleStatus?.currentlyAvailable;
  const rate = cost?.throttleStatus?.restoreRate;
  if (requested === undefined || available === undefined || !rate) return undefined;
  return Math.max(0, Math.ceil(((requested - available) / rate) * 1000));
};

/** Sends one document to `https://{shop}/admin/api/{version}/graphql.json`. */
export const adminGraphql = async <T>(
  options: AdminGraphqlOptions,
  session: OfflineSession,
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphqlResult<T>> => {
  const url = `https://${session.shop}/admin/api/${options.apiVersion}/graphql.json`;
  let response: Response;
  try {
    response = await options.fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-shopify-access-token': session.accessToken,
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 4_000),
    });
  } catch (cause) {
    return failure(
      'retryable',
      'shopify_unreachable',
      `Shopify did not answer: ${(cause as Error).name}.`,
    );
  }
  const text = await response.text().catch(() => '');
  const status = response.status;
  if (status === 429) {
    const after = Number(response.headers.get('retry-after'));
    return failure('retryable', 'shopify_throttled', 'Shopify rate-limited the request.', {
      providerStatus: status,
      ...(Number.isFinite(after) && after > 0 ? { retryAfterMs: after * 1000 } : {}),
    });
  }
  if (status === 401 || status === 403)
    return failure(
      'permanent',
      'shopify_unauthorized',
      'The access token was refused (app uninstalled or scope missing).',
      { providerStatus: status },
    );
  if (status >= 500)
    return failure('retryable', 'shopify_unavailable', `Shopify answered ${status}.`, {
      providerStatus: status,
      providerBody: text.slice(0, 2000),
    });
  if (status >= 400)
    return failure('permanent', 'shopify_rejected', `Shopify answered ${status}.`, {
      providerStatus: status,
      providerBody: text.slice(0, 2000),
    });
  let body: { data?: T; errors?: GraphqlError[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return failure(
      'retryable',
      'shopify_bad_response',
      'Shopify answered with something other than JSON.',
      { providerStatus: status },
    );
  }
  const errors = body.errors ?? [];
  if (errors.length > 0) {
    if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
      const wait = throttleWaitMs(errors);
      return failure(
        'retryable',
        'shopify_throttled',
        'Shopify throttled the query (cost limit).',
        {
          providerStatus: status,
          providerCode: 'THROTTLED',
          ...(wait !== undefined ? { retryAfterMs: wait } : {}),
        },
      );
    }
    return failure('permanent', 'graphql_error', 'Shopify refused the GraphQL document.', {
      providerStatus: status,
      providerCode: errors[0]?.extensions?.code ?? 'GRAPHQL',
      providerBody: text.slice(0, 2000),
    });
  }
  if (body.data === undefined)
    return failure('retryable', 'shopify_bad_response', 'Shopify answered without data.', {
      providerStatus: status,
    });
  return { ok: true, data: body.data };
};
