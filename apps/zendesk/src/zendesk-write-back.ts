/**
 * @module The `zendesk` write-back target: a private comment on the order's ticket saying what
 * Tidings did, the `tidings_write` tag, and (when the tenant names its status field and a value
 * maps back) the order-status field kept in sync. The trigger run this update causes is
 * recognised by the fingerprint returned (see echo-key.ts) and never notified twice.
 */
import type { CanonicalStatus, TenantStatusMappings } from '@tidings/core';
import type { AppContext, WriteBackResult, WriteBackTarget } from '@tidings/engine';
import { zendeskEchoKey } from './echo-key.ts';
import { tenantMappings } from './trigger-payload.ts';
import { TICKET_HEADER } from './webhook-route.ts';
import { createZendeskApi } from './zendesk-api.ts';
import { apiBaseOf, loadZendeskCredential } from './zendesk-credentials.ts';

/** The tag every Tidings write adds; trigger authors can filter on it. */
export const ZENDESK_WRITE_TAG = 'tidings_write';

export interface ZendeskWriteBackDeps {
  store: AppContext['store'];
  tenants: AppContext['tenants'];
  fetch?: typeof fetch;
}

/** The tenant's own value tag for a canonical status, when exactly one maps to it. */
export const statusValueFor = (
  mappings: TenantStatusMappings,
  status: CanonicalStatus,
): string | undefined => {
  const rows = mappings.zendesk?.order_status ?? {};
  const values = Object.entries(rows)
    .filter(([, m]) => m.status === status)
    .map(([value]) => value);
  return values.length === 1 ? values[0] : undefined;
};

/** Creates the `zendesk` target for the write-back registry. */
export const createZendeskWriteBack = (deps: ZendeskWriteBackDeps): WriteBackTarget => ({
  target: 'zendesk',
  async appliesTo(tenantId) {
    const lookup = await loadZendeskCredential(deps.store, tenantId);
    return lookup.ok && !!lookup.credential.apiEmail && !!lookup.credential.apiToken;
  },
  async write(job, { store, clock }): Promise<WriteBackResult> {
    const lookup = await loadZendeskCredential(store, job.tenantId);
    const credential = lookup.ok ? lookup.credential : undefined;
    if (!credential?.apiEmail || !credential.apiToken) {
      return {
        ok: false,
        error: {
          code: 'not_configured',
          class: 'permanent',
          message: 'No Zendesk API token is stored for this tenant.',
        },
      };
    }
    const events = await store.listEventsOfOrders(job.tenantId, [job.orderRef]);
    const ticketId = events.findLast((e) => e.headers[TICKET_HEADER])?.headers[TICKET_HEADER];
    // The order never came through a Zendesk ticket: nothing to write there.
    if (!ticketId) return { ok: true, fingerprints: [] };

    const tenant = await deps.tenants.get(job.tenantId);
    const statusValue =
      credential.statusFieldId && tenant.ok
        ? statusValueFor(tenantMappings(tenant.config.statusMappings), job.status)
        : undefined;
    const api = createZendeskApi(
      {
        baseUrl: apiBaseOf(job.tenantId, credential),
        email: credential.apiEmail,
        apiToken: credential.apiToken,
      },
      { fetch: deps.fetch ?? globalThis.fetch },
    );
    const updated = await api.updateTicket(ticketId, {
      comment: {
        body: `Tidings · ${job.status}${job.shipmentId ? ` (shipment ${job.shipmentId})` : ''}: ${job.note}\n[ref ${job.id}]`,
        public: false,
      },
      additional_tags: [ZENDESK_WRITE_TAG],
      ...(credential.statusFieldId && statusValue
        ? { custom_fields: [{ id: Number(credential.statusFieldId), value: statusValue }] }
        : {}),
    });
    if (!updated.ok) {
      const e = updated.error;
      return {
        ok: false,
        error: {
          code: `zendesk_${e.code}`,
          class: e.class,
          message: e.message,
          ...(e.status === undefined ? {} : { providerStatus: e.status }),
          ...(e.retryAfterMs === undefined ? {} : { retryAfterMs: e.retryAfterMs }),
          ...(e.providerBody === undefined ? {} : { providerBody: e.providerBody }),
        },
      };
    }
    const held =
      updated.value.customFields.find((f) => f.id === credential.statusFieldId)?.value ??
      statusValue;
    return {
      ok: true,
      fingerprints: [
        zendeskEchoKey(
          updated.value.id,
          updated.value.updatedAt ?? clock.now().toISOString(),
          held ?? undefined,
        ),
      ],
    };
  },
});
