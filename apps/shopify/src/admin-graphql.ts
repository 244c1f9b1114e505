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

interface QueryCost {
  requestedQueryCost?: number;
  throttleStatus?: { maximumAvailable?: number; currentlyAvailable?: number; restoreRate?: number };
}

interface GraphqlError {
  message?: string;
  extensions?: { code?: string; cost?: QueryCost };
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

/**
 * How long until a THROTTLED query's cost is back in the bucket: the points missing divided by
 * the restore rate (points per second). Shopify puts the cost beside `errors`, in the response's
 * top-level `extensions.cost` (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits;
 * the throttled responses shown in community.shopify.com/t/8456 and /t/254776), though its API
 * reference once showed it inside the error, so that place is read too.
 */
export const throttleWaitMs = (body: {
  extensions?: { cost?: QueryCost };
  errors?: readonly GraphqlError[];
}): number | undefined => {
  const cost =
    body.extensions?.cost ?? body.errors?.find((e) => e.extensions?.cost)?.extensions?.cost;
  const requested = cost?.requestedQueryCost;
  const available = cost?.throttleStatus?.currentlyAvailable;
  const rate = cost?.throttleStatus?.restoreRate;
  if (requested === undefined || available === undefined || !rate || rate <= 0) return undefined;
  return Math.max(0, Math.ceil(((requested - available) / rate) * 1000));
};

const parseOrEmpty = (text: string): Parameters<typeof throttleWaitMs>[0] => {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null ? (v as Parameters<typeof throttleWaitMs>[0]) : {};
  } catch {
    return {};
  }
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
    // Retry-After when Shopify sends it; otherwise the wait the body's cost extension implies.
    const after = Number(response.headers.get('retry-after'));
    const wait =
      Number.isFinite(after) && after > 0 ? after * 1000 : throttleWaitMs(parseOrEmpty(text));
    return failure('retryable', 'shopify_throttled', 'Shopify rate-limited the request.', {
      providerStatus: status,
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
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
  let body: { data?: T; errors?: GraphqlError[]; extensions?: { cost?: QueryCost } };
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
      const wait = throttleWaitMs(body);
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
