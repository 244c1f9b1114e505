import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDeps } from './channel-deps.ts';
import { callProvider } from './provider-call.ts';
import { fetchTransport, type ProviderTransport, undiciTransport } from './provider-transport.ts';

/** A real HTTP server on loopback: echoes what it got, or stalls, or answers 429. */
let server: Server;
let base: string;
const seen: { method: string | undefined; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      body += d;
    });
    req.on('end', () => {
      seen.push({ method: req.method, headers: req.headers, body });
      if (req.url === '/stall') return; // never answers: the caller's timeout must fire
      if (req.url === '/half') {
        // Headers and part of the body, then silence: reading the body must end on the timeout.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"partial":');
        return;
      }
      if (req.url === '/busy') {
        res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
        res.end('{"error":"slow down"}');
        return;
      }
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(201, { 'x-message-id': 'msg-1', 'content-type': 'application/json' });
      res.end(JSON.stringify({ echo: body, method: req.method }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const transports: [string, ProviderTransport][] = [
  ['undici pool', undiciTransport()],
  ['fetch', fetchTransport(fetch)],
];

describe.each(transports)('%s transport against a real HTTP server', (_name, transport) => {
  const deps = { ...resolveDeps(), transport };

  it('sends method, headers and body, and reads status, headers and the whole body', async () => {
    const r = await callProvider(
      deps,
      {
        method: 'POST',
        url: `${base}/messages`,
        headers: { 'content-type': 'application/json', 'idempotency-key': 'intent-1' },
        body: '{"to":"+15145550100"}',
      },
      { label: 'Test', timeoutMs: 5_000 },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.response.status).toBe(201);
    expect(r.response.headers.get('X-Message-Id')).toBe('msg-1');
    expect(r.response.headers.get('absent')).toBeNull();
    expect(r.response.json).toEqual({ echo: '{"to":"+15145550100"}', method: 'POST' });
    expect(seen.at(-1)?.headers['idempotency-key']).toBe('intent-1');
  });

  it('classifies a 429 through its Retry-After header', async () => {
    const r = await callProvider(
      deps,
      { method: 'GET', url: `${base}/busy`, headers: {} },
      { label: 'Test', timeoutMs: 5_000 },
    );
    expect(r.ok && r.response.status).toBe(429);
    expect(r.ok && r.response.headers.get('retry-after')).toBe('7');
  });

  it('turns a stalled provider into a retryable timeout', async () => {
    const r = await callProvider(
      deps,
      { method: 'GET', url: `${base}/stall`, headers: {} },
      { label: 'Test', timeoutMs: 200 },
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'timeout', class: 'retryable' } });
  });

  it('turns a body that stops half-way into a retryable timeout', async () => {
    const r = await callProvider(
      deps,
      { method: 'GET', url: `${base}/half`, headers: {} },
      { label: 'Test', timeoutMs: 300 },
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'timeout', class: 'retryable' } });
  });

  it('stops when the caller aborts mid-flight', async () => {
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 100);
    const r = await callProvider(
      deps,
      { method: 'GET', url: `${base}/stall`, headers: {} },
      { label: 'Test', timeoutMs: 5_000, signal: caller.signal },
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'aborted', class: 'retryable' } });
  });

  it('turns a refused connection into a retryable network error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const r = await callProvider(
      deps,
      { method: 'POST', url: `http://127.0.0.1:${port}/x`, headers: {}, body: '{}' },
      { label: 'Test', timeoutMs: 5_000 },
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'network_error', class: 'retryable' } });
  });
});

it('the default transport is the undici one unless a test injects fetch', async () => {
  const recorded: string[] = [];
  const recording: typeof fetch = async (input) => {
    recorded.push(String(input));
    return new Response('{}', { status: 200 });
  };
  const injected = resolveDeps({ fetch: recording });
  await injected.transport({
    method: 'GET',
    url: 'https://api.example.test/x',
    headers: {},
    signal: AbortSignal.timeout(1_000),
  });
  expect(recorded).toEqual(['https://api.example.test/x']);
  const real = await callProvider(
    resolveDeps(),
    { method: 'GET', url: `${base}/messages`, headers: {} },
    { label: 'Test', timeoutMs: 5_000 },
  );
  expect(real.ok && real.response.status).toBe(201);
});
