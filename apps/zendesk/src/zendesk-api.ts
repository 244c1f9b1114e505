/**
 * @module The few Zendesk REST calls Tidings makes (sources.md §5.4, §5.6; hosts.md §3.4): update a
 * ticket (comment, tags, fields), create and delete the webhook and the trigger, read the webhook's
 * signing secret and the API user. API-token auth (`{email}/token:{token}`); the caller's `fetch`.
 */
import type { FailureClass } from '@tidings/core';

export interface ZendeskApiConfig {
  /** `https://{subdomain}.zendesk.com`, or a loopback stub in tests. */
  baseUrl: string;
  email: string;
  apiToken: string;
  /** Per call; Zendesk answers in well under this. */
  timeoutMs?: number;
}

export const ZENDESK_API_ERROR_CODES = [
  'unauthorized',
  'forbidden',
  'not_found',
  'unprocessable',
  'rate_limited',
  'server_error',
  'network_error',
  'bad_response',
] as const;
export type ZendeskApiErrorCode = (typeof ZENDESK_API_ERROR_CODES)[number];

export interface ZendeskApiError {
  code: ZendeskApiErrorCode;
  message: string;
  class: FailureClass;
  status?: number;
  retryAfterMs?: number;
  /** Zendesk's error body, truncated; for operators' attempt records only. */
  providerBody?: string;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ZendeskApiError };

export interface TicketUpdate {
  comment?: { body: string; public: boolean };
  additional_tags?: string[];
  custom_fields?: { id: number; value: string }[];
}

export interface TicketState {
  id: string;
  updatedAt: string | undefined;
  customFields: { id: string; value: string | null }[];
}

export interface WebhookInput {
  name: string;
  endpoint: string;
  http_method: 'POST';
  request_format: 'json';
  status: 'active' | 'inactive';
  subscriptions: string[];
  description?: string;
}

export interface TriggerInput {
  title: string;
  description?: string;
  active: boolean;
  conditions: {
    all: { field: string; operator: string; value?: string | null }[];
    any: { field: string; operator: string; value?: string | null }[];
  };
  actions: { field: string; value: string | string[] }[];
}

export interface ZendeskApi {
  updateTicket(ticketId: string, update: TicketUpdate): Promise<ApiResult<TicketState>>;
  currentUser(): Promise<ApiResult<{ id: string }>>;
  createWebhook(webhook: WebhookInput): Promise<ApiResult<{ id: string }>>;
  webhookSigningSecret(webhookId: string): Promise<ApiResult<{ secret: string }>>;
  deleteWebhook(webhookId: string): Promise<ApiResult<true>>;
  createTrigger(trigger: TriggerInput): Promise<ApiResult<{ id: string }>>;
  deleteTrigger(triggerId: string): Promise<ApiResult<true>>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const idOf = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;

const retryAfter = (header: string | null): number | undefined => {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
};

const failure = (
  status: number,
  body: string,
  retryAfterHeader: string | null,
): ZendeskApiError => {
  const providerBody = body.slice(0, 2000);
  const base = { status, providerBody };
  if (status === 401)
    return {
      ...base,
      code: 'unauthorized',
      class: 'permanent',
      message: 'Zendesk rejected the API token.',
    };
  if (status === 403)
    return {
      ...base,
      code: 'forbidden',
      class: 'permanent',
      message: 'The Zendesk API user may not do this.',
    };
  if (status === 404)
    return {
      ...base,
      code: 'not_found',
      class: 'permanent',
      message: 'Zendesk has no such resource.',
    };
  if (status === 429) {
    const ms = retryAfter(retryAfterHeader);
    return {
      ...base,
      code: 'rate_limited',
      class: 'retryable',
      message: 'Zendesk rate-limited the call.',
      ...(ms === undefined ? {} : { retryAfterMs: ms }),
    };
  }
  if (status >= 500)
    return {
      ...base,
      code: 'server_error',
      class: 'retryable',
      message: `Zendesk answered ${status}.`,
    };
  return {
    ...base,
    code: 'unprocessable',
    class: 'permanent',
    message: `Zendesk refused the request (${status}).`,
  };
};

/** A Zendesk REST client over the given `fetch`. */
export const createZendeskApi = (
  config: ZendeskApiConfig,
  deps: { fetch: typeof fetch } = { fetch: globalThis.fetch },
): ZendeskApi => {
  const auth = `Basic ${Buffer.from(`${config.email}/token:${config.apiToken}`).toString('base64')}`;
  const base = config.baseUrl.replace(/\/+$/, '');

  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiResult<unknown>> => {
    let response: Response;
    try {
      response = await deps.fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: auth,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
      });
    } catch (cause) {
      return {
        ok: false,
        error: {
          code: 'network_error',
          class: 'retryable',
          message: `Zendesk could not be reached (${(cause as Error).name}).`,
        },
      };
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      return {
        ok: false,
        error: failure(response.status, text, response.headers.get('retry-after')),
      };
    }
    if (text === '') return { ok: true, value: undefined };
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return {
        ok: false,
        error: {
          code: 'bad_response',
          class: 'retryable',
          message: 'Zendesk answered with non-JSON.',
        },
      };
    }
  };

  const bad = (what: string): { ok: false; error: ZendeskApiError } => ({
    ok: false,
    error: {
      code: 'bad_response',
      class: 'permanent',
      message: `Zendesk's answer has no ${what}.`,
    },
  });

  const created = async (
    path: string,
    key: string,
    body: unknown,
  ): Promise<ApiResult<{ id: string }>> => {
    const r = await call('POST', path, body);
    if (!r.ok) return r;
    const id = isObj(r.value) && isObj(r.value[key]) ? idOf(r.value[key].id) : undefined;
    return id ? { ok: true, value: { id } } : bad(`${key}.id`);
  };

  const deleted = async (path: string): Promise<ApiResult<true>> => {
    const r = await call('DELETE', path);
    // Already gone is what removal wants.
    if (!r.ok && r.error.code !== 'not_found') return r;
    return { ok: true, value: true };
  };

  return {
    async updateTicket(ticketId, update) {
      const r = await call('PUT', `/api/v2/tickets/${encodeURIComponent(ticketId)}.json`, {
        ticket: update,
      });
      if (!r.ok) return r;
      const ticket = isObj(r.value) && isObj(r.value.ticket) ? r.value.ticket : undefined;
      const id = ticket ? idOf(ticket.id) : undefined;
      if (!ticket || !id) return bad('ticket');
      const fields = Array.isArray(ticket.custom_fields) ? ticket.custom_fields : [];
      return {
        ok: true,
        value: {
          id,
          updatedAt: typeof ticket.updated_at === 'string' ? ticket.updated_at : undefined,
          customFields: fields.flatMap((f) => {
            const fid = isObj(f) ? idOf(f.id) : undefined;
            if (!isObj(f) || !fid) return [];
            return [{ id: fid, value: typeof f.value === 'string' ? f.value : null }];
          }),
        },
      };
    },
    async currentUser() {
      const r = await call('GET', '/api/v2/users/me.json');
      if (!r.ok) return r;
      const id = isObj(r.value) && isObj(r.value.user) ? idOf(r.value.user.id) : undefined;
      return id ? { ok: true, value: { id } } : bad('user.id');
    },
    createWebhook: (webhook) => created('/api/v2/webhooks', 'webhook', { webhook }),
    async webhookSigningSecret(webhookId) {
      const r = await call(
        'GET',
        `/api/v2/webhooks/${encodeURIComponent(webhookId)}/signing_secret`,
      );
      if (!r.ok) return r;
      const s =
        isObj(r.value) && isObj(r.value.signing_secret) ? r.value.signing_secret.secret : undefined;
      return typeof s === 'string' && s !== ''
        ? { ok: true, value: { secret: s } }
        : bad('signing_secret.secret');
    },
    deleteWebhook: (webhookId) => deleted(`/api/v2/webhooks/${encodeURIComponent(webhookId)}`),
    createTrigger: (trigger) => created('/api/v2/triggers', 'trigger', { trigger }),
    deleteTrigger: (triggerId) => deleted(`/api/v2/triggers/${encodeURIComponent(triggerId)}`),
  };
};
