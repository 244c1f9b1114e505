/**
 * @module The Pipedrive write-back: what Tidings told the customer becomes a note on the deal
 * (`POST /api/v1/notes` with `content` and `deal_id`, `x-api-token` auth). The note carries a
 * marker with the job id, our fingerprint should Pipedrive echo it back.
 */
import type { SendFailure } from '@tidings/core';
import type { WriteBackResult, WriteBackTarget } from '@tidings/engine';
import type { Store } from '@tidings/store';
import {
  dealIdOf,
  type PipedriveCredential,
  PipedriveCredentialSchema,
} from './pipedrive-credential.ts';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const credentialOf = async (
  store: Store,
  tenantId: string,
): Promise<PipedriveCredential | undefined> => {
  const got = await store.getCredential(tenantId, 'pipedrive');
  if (!got.ok) return undefined;
  const parsed = PipedriveCredentialSchema.safeParse(got.value);
  return parsed.success ? parsed.data : undefined;
};

const failure = (res: Response, text: string): SendFailure => {
  const retryAfter = Number(res.headers.get('retry-after'));
  const retryable = res.status === 429 || res.status >= 500;
  return {
    code: `pipedrive_${res.status}`,
    message: `Pipedrive answered ${res.status} to the note.`,
    class: retryable ? 'retryable' : 'permanent',
    providerStatus: res.status,
    providerBody: text.slice(0, 2000),
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
  };
};

/** The `pipedrive` write-back target; register it with `context.writeBacks.register`. */
export const createPipedriveWriteBack = (
  store: Store,
  deps: { fetch: typeof fetch; timeoutMs?: number },
): WriteBackTarget => ({
  target: 'pipedrive',
  async appliesTo(tenantId) {
    return (await credentialOf(store, tenantId))?.apiToken !== undefined;
  },
  async write(job): Promise<WriteBackResult> {
    const dealId = dealIdOf(job.orderRef);
    if (dealId === undefined) return { ok: true, fingerprints: [] };
    const credential = await credentialOf(store, job.tenantId);
    if (!credential?.apiToken) {
      return {
        ok: false,
        error: {
          code: 'pipedrive_not_configured',
          message: 'No Pipedrive API token.',
          class: 'permanent',
        },
      };
    }
    const marker = `tidings:${job.id}`;
    const body = {
      content: `<p>${escapeHtml(job.note)}</p><p><small>${marker}</small></p>`,
      deal_id: dealId,
      ...(credential.pinNotes ? { pinned_to_deal_flag: 1 } : {}),
    };
    let res: Response;
    try {
      res = await deps.fetch(new URL('/api/v1/notes', credential.apiBaseUrl), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-api-token': credential.apiToken,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      });
    } catch (cause) {
      return {
        ok: false,
        error: {
          code: 'pipedrive_unreachable',
          message: `Pipedrive could not be reached: ${(cause as Error).name}.`,
          class: 'retryable',
        },
      };
    }
    const text = await res.text();
    if (!res.ok) return { ok: false, error: failure(res, text) };
    let noteId: unknown;
    try {
      noteId = (JSON.parse(text) as { data?: { id?: unknown } }).data?.id;
    } catch {
      noteId = undefined;
    }
    return {
      ok: true,
      fingerprints: [marker, ...(noteId === undefined ? [] : [`pipedrive-note:${String(noteId)}`])],
    };
  },
});
