/**
 * @module Set-up by API (hosts.md §3.4): create the webhook a trigger calls (connected to
 * triggers with `subscriptions: ["conditional_ticket_events"]`), store its signing secret
 * encrypted under the tenant's `zendesk` credential, create an example trigger whose action
 * sends the documented JSON body; and remove both again. A failure half-way undoes what was made.
 */
import { randomBytes } from 'node:crypto';
import type { Store } from '@tidings/store';
import { triggerBodyText } from './trigger-template.ts';
import type { TriggerInput, ZendeskApi, ZendeskApiError } from './zendesk-api.ts';
import {
  loadZendeskCredential,
  SUBDOMAIN_PATTERN,
  ZENDESK_CREDENTIAL,
  type ZendeskCredential,
} from './zendesk-credentials.ts';
import { ZENDESK_WRITE_TAG } from './zendesk-write-back.ts';

export const WEBHOOK_NAME = 'Tidings order notifications';
export const TRIGGER_TITLE = 'Tidings: notify the customer when the order status changes';

export interface InstallOptions {
  subdomain: string;
  /** Where Zendesk reaches the hub (`TIDINGS_PUBLIC_URL`). */
  publicUrl: string;
  apiEmail: string;
  apiToken: string;
  orderFieldId?: string | undefined;
  statusFieldId?: string | undefined;
  /** Create the example trigger active (default: inactive, for an admin to review first). */
  activate?: boolean;
  /** Kept for local stubs and proxies; `https://{subdomain}.zendesk.com` otherwise. */
  apiBaseUrl?: string | undefined;
  now: () => Date;
}

export type SetupErrorCode =
  | 'invalid_subdomain'
  | 'unknown_tenant'
  | 'not_configured'
  | 'store_failed'
  | `zendesk_${ZendeskApiError['code']}`;

export type SetupResult<T> =
  | ({ ok: true } & T)
  | { ok: false; error: { code: SetupErrorCode; message: string; step: string } };

const apiFail = (step: string, e: ZendeskApiError): SetupResult<never> => ({
  ok: false,
  error: { code: `zendesk_${e.code}`, message: `${step}: ${e.message}`, step },
});

/** The example trigger: the order-status field changed (or, without one, a status tag added). */
export const exampleTrigger = (
  webhookId: string,
  fields: { orderFieldId?: string | undefined; statusFieldId?: string | undefined },
  active: boolean,
): TriggerInput => ({
  title: TRIGGER_TITLE,
  description: `Sends the ticket's order status to Tidings. Tidings' own updates carry the ${ZENDESK_WRITE_TAG} tag and are recognised as echoes.`,
  active,
  conditions: {
    all: fields.statusFieldId
      ? [{ field: `custom_fields_${fields.statusFieldId}`, operator: 'changed' }]
      : [{ field: 'update_type', operator: 'is', value: 'Change' }],
    any: fields.statusFieldId
      ? []
      : [
          { field: 'current_tags', operator: 'includes', value: 'shipped' },
          { field: 'current_tags', operator: 'includes', value: 'delayed' },
        ],
  },
  actions: [{ field: 'notification_webhook', value: [webhookId, triggerBodyText(fields)] }],
});

/** Creates webhook and trigger in the account and stores what Tidings needs to verify and write. */
export const installZendesk = async (
  api: ZendeskApi,
  store: Store,
  options: InstallOptions,
): Promise<SetupResult<{ webhookId: string; triggerId: string; appSecret: string }>> => {
  const { subdomain } = options;
  if (!SUBDOMAIN_PATTERN.test(subdomain)) {
    return {
      ok: false,
      error: {
        code: 'invalid_subdomain',
        message: `"${subdomain}" is not a Zendesk subdomain.`,
        step: 'check',
      },
    };
  }
  if (!(await store.getTenant(subdomain))) {
    return {
      ok: false,
      error: {
        code: 'unknown_tenant',
        message: `Tidings has no tenant "${subdomain}"; create it first (npx tidings tenant create ${subdomain} "<name>").`,
        step: 'check',
      },
    };
  }
  const me = await api.currentUser();
  if (!me.ok) return apiFail('check the API token', me.error);

  const webhook = await api.createWebhook({
    name: WEBHOOK_NAME,
    endpoint: `${options.publicUrl.replace(/\/+$/, '')}/zendesk/webhooks?subdomain=${subdomain}`,
    http_method: 'POST',
    request_format: 'json',
    status: 'active',
    subscriptions: ['conditional_ticket_events'],
    description: 'Order-status changes for Tidings; signed, verified by Tidings.',
  });
  if (!webhook.ok) return apiFail('create the webhook', webhook.error);
  const webhookId = webhook.value.id;
  const undoWebhook = async () => {
    await api.deleteWebhook(webhookId);
  };

  const secret = await api.webhookSigningSecret(webhookId);
  if (!secret.ok) {
    await undoWebhook();
    return apiFail('read the signing secret', secret.error);
  }
  const existing = await loadZendeskCredential(store, subdomain);
  const appSecret =
    (existing.ok ? existing.credential.appSecret : undefined) ??
    randomBytes(32).toString('base64url');
  const credential: ZendeskCredential = {
    signingSecret: secret.value.secret,
    webhookId,
    apiEmail: options.apiEmail,
    apiToken: options.apiToken,
    appSecret,
    ...(options.orderFieldId ? { orderFieldId: options.orderFieldId } : {}),
    ...(options.statusFieldId ? { statusFieldId: options.statusFieldId } : {}),
    ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}),
  };
  // Stored before the trigger exists, so its first call already verifies.
  const stored = await store.putCredential(
    subdomain,
    ZENDESK_CREDENTIAL,
    credential,
    options.now().toISOString(),
  );
  if (!stored.ok) {
    await undoWebhook();
    return {
      ok: false,
      error: {
        code: 'store_failed',
        message: stored.error.message,
        step: 'store the signing secret',
      },
    };
  }

  const trigger = await api.createTrigger(
    exampleTrigger(webhookId, options, options.activate ?? false),
  );
  if (!trigger.ok) {
    await undoWebhook();
    await store.deleteCredential(subdomain, ZENDESK_CREDENTIAL);
    return apiFail('create the trigger', trigger.error);
  }
  await store.putCredential(
    subdomain,
    ZENDESK_CREDENTIAL,
    { ...credential, triggerId: trigger.value.id },
    options.now().toISOString(),
  );
  return { ok: true, webhookId, triggerId: trigger.value.id, appSecret };
};

/** Deletes the trigger and webhook `installZendesk` made, then the stored credential. */
export const removeZendesk = async (
  api: ZendeskApi,
  store: Store,
  subdomain: string,
): Promise<SetupResult<{ removed: string[] }>> => {
  const lookup = await loadZendeskCredential(store, subdomain);
  if (!lookup.ok) {
    return { ok: false, error: { code: 'not_configured', message: lookup.message, step: 'check' } };
  }
  const removed: string[] = [];
  const { triggerId, webhookId } = lookup.credential;
  // The trigger first: a trigger whose webhook is gone fails on every ticket update.
  if (triggerId) {
    const r = await api.deleteTrigger(triggerId);
    if (!r.ok) return apiFail('delete the trigger', r.error);
    removed.push(`trigger ${triggerId}`);
  }
  if (webhookId) {
    const r = await api.deleteWebhook(webhookId);
    if (!r.ok) return apiFail('delete the webhook', r.error);
    removed.push(`webhook ${webhookId}`);
  }
  await store.deleteCredential(subdomain, ZENDESK_CREDENTIAL);
  removed.push('stored credential');
  return { ok: true, removed };
};
