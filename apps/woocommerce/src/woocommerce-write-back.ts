/**
 * @module Write-back to a WooCommerce site through REST API v3 with the site's consumer key and
 * secret: a private order note for each customer message (`POST /wp-json/wc/v3/orders/{id}/notes`,
 * `customer_note: false` so WooCommerce does not e-mail the customer itself), and — when the
 * tenant asks for it — the order status when a carrier reports the order delivered
 * (`PUT /wp-json/wc/v3/orders/{id}`), fingerprinted first so the change it causes is not notified.
 */
import type { Clock, SendFailure } from '@tidings/core';
import type { WriteBackJob, WriteBackResult, WriteBackTarget } from '@tidings/engine';
import type { Store } from '@tidings/store';
import { statusFingerprint } from './order-facts.ts';
import { loadSiteCredential, type WoocommerceCredential } from './site-credential.ts';

export const WOOCOMMERCE_TARGET = 'woocommerce';

export interface WoocommerceWriteBackOptions {
  store: Store;
  /** For tests: a `fetch` to a local stub. */
  fetch?: typeof fetch;
  /** Per request; WooCommerce behind a slow host can take seconds. Default 15 s. */
  timeoutMs?: number;
  /** How long our status write's fingerprint is kept to recognise its echo. Default 1 h. */
  fingerprintTtlMs?: number;
}

/** The marker each note carries, so a retried write finds the note it already made. */
export const noteMarker = (jobId: string): string => `[tidings:${jobId}]`;

const failure = (
  code: string,
  failureClass: SendFailure['class'],
  message: string,
  extra: Partial<SendFailure> = {},
): { ok: false; error: SendFailure } => ({
  ok: false,
  error: { code, class: failureClass, message, ...extra },
});

const retryAfterMs = (header: string | null): number | undefined => {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
};

/** A WooCommerce REST error as a failure value; the body goes only into `providerBody`. */
const httpFailure = async (
  res: Response,
  what: string,
): Promise<{ ok: false; error: SendFailure }> => {
  const body = (await res.text().catch(() => '')).slice(0, 1000);
  let providerCode: string | undefined;
  try {
    const parsed = JSON.parse(body) as { code?: unknown };
    if (typeof parsed.code === 'string') providerCode = parsed.code;
  } catch {
    // Not JSON (a proxy's HTML error page); the status says enough.
  }
  const extra: Partial<SendFailure> = {
    providerStatus: res.status,
    providerBody: body,
    ...(providerCode ? { providerCode } : {}),
  };
  if (res.status === 429 || res.status >= 500) {
    const after = retryAfterMs(res.headers.get('retry-after'));
    return failure(
      res.status === 429 ? 'woocommerce_rate_limited' : 'woocommerce_server_error',
      'retryable',
      `WooCommerce answered ${res.status} to ${what}.`,
      { ...extra, ...(after !== undefined ? { retryAfterMs: after } : {}) },
    );
  }
  if (res.status === 401 || res.status === 403) {
    return failure(
      'woocommerce_auth_failed',
      'permanent',
      `WooCommerce refused the REST API keys (${res.status}) for ${what}; check they are read/write.`,
      extra,
    );
  }
  if (res.status === 404) {
    return failure(
      'woocommerce_order_not_found',
      'permanent',
      `WooCommerce has no such order (${what}).`,
      extra,
    );
  }
  return failure(
    'woocommerce_rejected',
    'permanent',
    `WooCommerce answered ${res.status} to ${what}.`,
    extra,
  );
};

/** Creates the `woocommerce` write-back target; register it with `context.writeBacks.register`. */
export const createWoocommerceWriteBack = (
  options: WoocommerceWriteBackOptions,
): WriteBackTarget => {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const ttlMs = options.fingerprintTtlMs ?? 60 * 60 * 1000;

  const request = async (
    credential: WoocommerceCredential,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
  ): Promise<Response | { ok: false; error: SendFailure }> => {
    const url = new URL(`${credential.siteUrl}/wp-json/wc/v3${path}`);
    const headers: Record<string, string> = { accept: 'application/json' };
    const key = credential.consumerKey ?? '';
    const secret = credential.consumerSecret ?? '';
    if (credential.restAuth === 'query') {
      url.searchParams.set('consumer_key', key);
      url.searchParams.set('consumer_secret', secret);
    } else {
      headers.authorization = `Basic ${Buffer.from(`${key}:${secret}`, 'utf8').toString('base64')}`;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await doFetch(url, {
        method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (cause) {
      const timedOut = (cause as Error).name === 'TimeoutError';
      return failure(
        timedOut ? 'woocommerce_timeout' : 'woocommerce_unreachable',
        'retryable',
        timedOut
          ? `WooCommerce did not answer within ${timeoutMs} ms.`
          : 'WooCommerce could not be reached.',
      );
    }
  };

  const addNote = async (
    credential: WoocommerceCredential,
    job: WriteBackJob,
    orderId: string,
  ): Promise<{ ok: true } | { ok: false; error: SendFailure }> => {
    const marker = noteMarker(job.id);
    // Notes have no idempotency key: look for our marker first, so a retry after a lost answer
    // does not add the note twice.
    const listed = await request(credential, 'GET', `/orders/${orderId}/notes?type=internal`);
    if (!(listed instanceof Response)) return listed;
    if (!listed.ok) return httpFailure(listed, 'the order notes list');
    const notes = (await listed.json().catch(() => [])) as unknown;
    if (
      Array.isArray(notes) &&
      notes.some(
        (n) =>
          typeof n === 'object' &&
          n !== null &&
          typeof (n as { note?: unknown }).note === 'string' &&
          (n as { note: string }).note.includes(marker),
      )
    ) {
      return { ok: true };
    }
    const created = await request(credential, 'POST', `/orders/${orderId}/notes`, {
      note: `Tidings: ${job.note} ${marker}`,
      customer_note: false,
      added_by_user: false,
    });
    if (!(created instanceof Response)) return created;
    if (!created.ok) return httpFailure(created, 'the order note');
    return { ok: true };
  };

  return {
    target: WOOCOMMERCE_TARGET,
    async appliesTo(tenantId) {
      const found = await loadSiteCredential(options.store, tenantId);
      return found.ok && found.credential.consumerKey !== undefined;
    },
    async write(job: WriteBackJob, deps: { store: Store; clock: Clock }): Promise<WriteBackResult> {
      const found = await loadSiteCredential(deps.store, job.tenantId);
      if (!found.ok || found.credential.consumerKey === undefined) {
        return failure(
          'woocommerce_not_configured',
          'permanent',
          found.ok ? 'The site has no REST API keys for write-back.' : found.message,
        );
      }
      const credential = found.credential;
      if (!/^[1-9]\d{0,18}$/.test(job.orderRef)) {
        return failure(
          'invalid_order_ref',
          'permanent',
          'The order reference is not a WooCommerce order id.',
        );
      }
      const fingerprints: string[] = [];
      if (job.status === 'delivered' && credential.deliveredStatus) {
        const fingerprint = statusFingerprint(job.orderRef, credential.deliveredStatus);
        const now = deps.clock.now();
        // Stored before the write: WooCommerce may announce the change before we hear back.
        await deps.store.transaction((tx) =>
          tx.putFingerprint({
            tenantId: job.tenantId,
            target: `${WOOCOMMERCE_TARGET}:order-status`,
            fingerprint,
            expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
          }),
        );
        const updated = await request(credential, 'PUT', `/orders/${job.orderRef}`, {
          status: credential.deliveredStatus,
        });
        if (!(updated instanceof Response)) return updated;
        if (!updated.ok) return httpFailure(updated, 'the order status');
        fingerprints.push(fingerprint);
      }
      const noted = await addNote(credential, job, job.orderRef);
      if (!noted.ok) return noted;
      return { ok: true, fingerprints: [...fingerprints, noteMarker(job.id)] };
    },
  };
};
