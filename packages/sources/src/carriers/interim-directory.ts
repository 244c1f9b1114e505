/**
 * @module One-time import of the interim tracking directory. Before the store had a
 * tracking-number index (migration 4), bindings and parked updates were kept as encrypted
 * per-tenant documents in the credentials table (`tracking-directory-00` … `-63`). They are
 * AES-GCM ciphertexts under the hub's key ring, which SQL cannot read, so the migration cannot
 * move them; the sources app does at start-up: each document is read, its bindings added where
 * the index has none (the index, filled from order states since, knows better), its parked
 * updates parked again, and the document deleted. Running it again finds nothing.
 */
import type { AppContext } from '@tidings/engine';

const INTERIM_DOCUMENT = /^tracking-directory-\d{2}$/;

interface InterimSlot {
  bindings?: Record<string, { orderRef?: unknown; shipmentId?: unknown; carrier?: unknown }>;
  parked?: Record<string, { key?: unknown; parkedAt?: unknown; update?: unknown }[]>;
}

export interface InterimImport {
  documents: number;
  bindings: number;
  parked: number;
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v : undefined;

/** Moves every tenant's interim directory documents into the store's index. */
export const importInterimDirectory = async (context: AppContext): Promise<InterimImport> => {
  const { store, clock } = context;
  const report: InterimImport = { documents: 0, bindings: 0, parked: 0 };
  for (const tenant of await store.listTenants()) {
    const documents = (await store.listCredentials(tenant.id)).filter((c) =>
      INTERIM_DOCUMENT.test(c.provider),
    );
    for (const { provider } of documents) {
      const got = await store.getCredential(tenant.id, provider);
      if (!got.ok) {
        // Left in place: a key ring that cannot open it today may after the operator fixes it.
        context.logger.warn(
          { tenantId: tenant.id, document: provider, code: got.error.code },
          'interim tracking directory document not readable; left in place',
        );
        continue;
      }
      const slot = (got.value ?? {}) as InterimSlot;
      const bindings = Object.entries(slot.bindings ?? {}).flatMap(([trackingKey, b]) => {
        const orderRef = text(b.orderRef);
        const shipmentId = text(b.shipmentId);
        const carrier = text(b.carrier);
        return orderRef && shipmentId
          ? [
              {
                tenantId: tenant.id,
                trackingNumber: trackingKey,
                orderRef,
                shipmentId,
                ...(carrier ? { carrier } : {}),
              },
            ]
          : [];
      });
      const now = clock.now().toISOString();
      report.bindings += await store.bindTrackingNumbers(bindings, now, { keepExisting: true });
      for (const [trackingKey, list] of Object.entries(slot.parked ?? {})) {
        for (const p of list) {
          const key = text(p.key);
          const parkedAt = text(p.parkedAt);
          if (!key || !parkedAt || Number.isNaN(Date.parse(parkedAt))) continue;
          const parked = await store.parkTrackingUpdate({
            tenantId: tenant.id,
            trackingNumber: trackingKey,
            key,
            update: p.update,
            parkedAt,
          });
          if (parked === 'parked') report.parked++;
        }
      }
      await store.deleteCredential(tenant.id, provider);
      report.documents++;
    }
  }
  return report;
};
