/**
 * @module Who may call the admin API: the operator (tenant management) with `TIDINGS_ADMIN_KEY`,
 * and each tenant with its own API key. Keys are stored hashed (SHA-256), compared in constant
 * time, and never logged.
 */
import { createHash } from 'node:crypto';
import { HttpError, safeEqual } from '@tidings/http';
import type { Store } from '@tidings/store';
import type { FastifyRequest } from 'fastify';

/** The credential name a tenant's API key hash is kept under. */
export const API_KEY_CREDENTIAL = 'tidings-api-key';

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

const bearer = (req: FastifyRequest): string => {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || !/^Bearer\s+\S+$/i.test(header)) {
    throw new HttpError('unauthorized', 'Send "Authorization: Bearer <api key>".');
  }
  return header.replace(/^Bearer\s+/i, '').trim();
};

/** Throws 401 unless the request carries the operator key. */
export const requireOperator = (req: FastifyRequest, adminKey: string): void => {
  if (!safeEqual(hashKey(bearer(req)), hashKey(adminKey))) {
    throw new HttpError('unauthorized', 'The operator key is not valid.');
  }
};

/** Throws 401 unless the request carries this tenant's key (or the operator key). */
export const requireTenant = async (
  req: FastifyRequest,
  store: Store,
  tenantId: string,
  adminKey: string,
): Promise<void> => {
  const token = bearer(req);
  if (safeEqual(hashKey(token), hashKey(adminKey))) return;
  const stored = await store.getCredential(tenantId, API_KEY_CREDENTIAL);
  const expected = stored.ok ? (stored.value as { sha256?: string }).sha256 : undefined;
  // Same work whether or not the tenant exists, so a caller cannot probe tenant ids.
  if (!safeEqual(hashKey(token), expected ?? hashKey(`absent:${tenantId}`))) {
    throw new HttpError('unauthorized', 'The API key is not valid for this tenant.');
  }
};
