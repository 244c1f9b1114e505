/**
 * @module The preamble every signed source route shares: which tenant, the exact bytes received,
 * the tenant's credentials for this source, and the request checked against them — before the
 * body is parsed into anything. A route gets back only a verified request; every refusal is a
 * 401 with a machine-readable code (`missing_signature`, `bad_signature`, `stale_request`,
 * `unauthorized`), and a tenant without this source's credentials is 401
 * `source_not_configured`.
 */

import { HttpError } from '@tidings/http';
import type { Store } from '@tidings/store';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { rawJsonBody, requireCredential, tenantFrom } from './source-http.ts';

export type VerifyFailure =
  | 'missing_signature'
  | 'bad_signature'
  | 'stale_request'
  | 'unauthorized';

export interface SourceVerification<C> {
  /** The credential name (`store.putCredential(tenantId, provider, …)`). */
  provider: string;
  schema: z.ZodType<C>;
  /** The tenant, when the route does not take it from the `:tenantId` path segment. */
  tenantId?: string;
  /** Checks the request: the raw body is the one signatures are computed over. */
  verify(credential: C, raw: Buffer, tenantId: string): 'ok' | VerifyFailure;
  /** The message for a refusal (no secrets, no values from the request). */
  refusal(failure: VerifyFailure): string;
  /** Sent as `WWW-Authenticate` on a refusal (Basic-auth sources). */
  challenge?: string;
}

export interface VerifiedSourceBody<C> {
  tenantId: string;
  credential: C;
  raw: Buffer;
}

/**
 * The tenant, its credentials and the raw body of a request that verified. The body's media type
 * is checked first (415/400), so nothing is looked up for a request that cannot be a webhook.
 */
export const verifiedSourceBody = async <C>(
  req: FastifyRequest,
  store: Store,
  verification: SourceVerification<C>,
): Promise<VerifiedSourceBody<C>> => {
  const tenantId = verification.tenantId ?? tenantFrom(req);
  const raw = rawJsonBody(req);
  const credential = await requireCredential(
    store,
    tenantId,
    verification.provider,
    verification.schema,
  );
  const verdict = verification.verify(credential, raw, tenantId);
  if (verdict !== 'ok') {
    throw new HttpError(verdict, verification.refusal(verdict), {
      status: 401,
      ...(verification.challenge
        ? { headers: { 'www-authenticate': verification.challenge } }
        : {}),
    });
  }
  return { tenantId, credential, raw };
};

/** The current secret and, while a rotation propagates, the previous one. */
export const rotatingSecrets = (current: string, previous: string | undefined): string[] =>
  previous === undefined ? [current] : [current, previous];
