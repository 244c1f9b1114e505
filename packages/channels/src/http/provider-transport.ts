/**
 * @module How a provider request travels. Production uses undici's `request` on one shared
 * keep-alive agent: measured against the same loopback provider, the global `fetch` costs about
 * 245 µs of CPU per call and `request` about 65 µs (`packages/engine/bench/http-client-micro.ts`),
 * because `fetch` builds WHATWG Request, Headers and stream objects for every call. Dispatch
 * is CPU-bound, so that difference is most of a dispatcher's budget. Tests inject a `fetch`
 * instead, to inspect requests; `fetchTransport` adapts it to the same shape.
 */
import { Pool } from 'undici';

/** The response headers an adapter reads (`retry-after`, rate-limit resets, message ids). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface TransportRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: ResponseHeaders;
  text: string;
}

/** Sends one request and reads the whole answer; rejects on network failure or abort. */
export type ProviderTransport = (request: TransportRequest) => Promise<TransportResponse>;

type RawHeaders = Record<string, string | string[] | undefined>;

/** Header lookup over undici's lower-cased header object, joined as `Headers.get` would. */
const headersOf = (raw: RawHeaders): ResponseHeaders => ({
  get: (name) => {
    const value = raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  },
});

export interface UndiciTransportOptions {
  /** Idle keep-alive sockets are closed after this long (undici's default is 4 s). */
  keepAliveTimeoutMs?: number;
  /** Sockets per provider origin; the dispatcher's concurrency is the practical bound. */
  connections?: number;
}

/**
 * A transport with one keep-alive pool per provider origin (a handful per process: each provider
 * has one API host, or one per region). `Pool.request` skips the per-call origin lookup and
 * option handling of the top-level `request` (~40 against ~60 µs of CPU per call in the
 * micro-bench).
 */
export const undiciTransport = (options: UndiciTransportOptions = {}): ProviderTransport => {
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string): Pool => {
    let pool = pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
        connections: options.connections ?? 128,
      });
      pools.set(origin, pool);
    }
    return pool;
  };
  return async ({ method, url, headers, body, signal }) => {
    const target = new URL(url);
    const res = await poolFor(target.origin).request({
      method,
      path: `${target.pathname}${target.search}`,
      headers,
      ...(body === undefined ? {} : { body }),
      signal,
    });
    return { status: res.statusCode, headers: headersOf(res.headers), text: await res.body.text() };
  };
};

let shared: ProviderTransport | undefined;

/** The process-wide transport, created on first use so importing adapters opens nothing. */
export const defaultTransport: ProviderTransport = (req) => {
  shared ??= undiciTransport();
  return shared(req);
};

/** Adapts a `fetch` (a test's recorder, or a runtime's own) to a transport. */
export const fetchTransport =
  (doFetch: typeof fetch): ProviderTransport =>
  async ({ method, url, headers, body, signal }) => {
    const res = await doFetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal,
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
