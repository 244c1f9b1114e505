/** @module The browser's client of `/shopify/api/*`, sending a fresh session token on every call. */

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface AdminClient {
  get<T>(path: string): Promise<ApiResult<T>>;
  send<T = unknown>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<ApiResult<T>>;
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
    const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    return res.ok
      ? { ok: true, value: json as T }
      : { ok: false, error: json.error?.message ?? `Request failed (${res.status}).` };
  };
  return {
    get: (path) => call('GET', path),
    send: (method, path, body) => call(method, path, body),
  };
};
