/**
 * @module A local HTTP server standing in for Shopify's Admin API: it records every request
 * (shop, path, headers, the parsed GraphQL body) and answers what the test sets. The `fetch` it
 * returns sends the app's `https://{shop}/admin/...` requests to it over real HTTP, so status
 * codes, headers and bodies go through the same parsing as Shopify's would.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  shop: string;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: { query?: string; variables?: Record<string, unknown> } | undefined;
}

export type StubAnswer = { status?: number; headers?: Record<string, string>; body: unknown };
export type StubRoute = (request: RecordedRequest) => StubAnswer;

export interface ShopifyHttpStub {
  /** Every request received, oldest first; clear with `requests.length = 0`. */
  requests: RecordedRequest[];
  answer(route: StubRoute): void;
  fetch: typeof fetch;
  close(): Promise<void>;
}

export const startShopifyHttpStub = async (): Promise<ShopifyHttpStub> => {
  const requests: RecordedRequest[] = [];
  let route: StubRoute = () => ({ status: 404, body: { errors: 'Not Found' } });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        shop: String(req.headers['x-stub-shop'] ?? ''),
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: text ? (JSON.parse(text) as RecordedRequest['body']) : undefined,
      };
      requests.push(recorded);
      const a = route(recorded);
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stubFetch: typeof fetch = (input, init) => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input : input.url,
    );
    const headers = new Headers(init?.headers);
    headers.set('x-stub-shop', url.host);
    return fetch(`${origin}${url.pathname}${url.search}`, { ...init, headers });
  };
  return {
    requests,
    answer(next) {
      route = next;
    },
    fetch: stubFetch,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
};
