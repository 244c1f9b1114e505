/** @module The browser's client of `/shopify/api/*`, sending a fresh session token on every call. */

/** A failed call keeps the server's machine-readable code and any per-field problems. */
export type ApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: string; code?: string; fields?: Record<string, string> };

export interface AdminClient {
  get<T>(path: string): Promise<ApiResult<T>>;
  send<T = unknown>(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<ApiResult<T>>;
}

/** Creates a client; `token` is asked before every request (App Bridge tokens live one minute). */
export const createAdminClient = (token: () => Promise<string>): AdminClient => {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> => {
    const res = await fetch(`/shopify/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await token()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => ({}))) as {
      error?: { message?: string; code?: string; fields?: Record<string, string> };
    };
    if (res.ok) return { ok: true, value: json as T };
    return {
      ok: false,
      error: json.error?.message ?? `Request failed (${res.status}).`,
      ...(json.error?.code ? { code: json.error.code } : {}),
      ...(json.error?.fields ? { fields: json.error.fields } : {}),
    };
  };
  return {
    get: (path) => call('GET', path),
    send: (method, path, body) => call(method, path, body),
  };
};
