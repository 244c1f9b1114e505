import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createServer } from './create-server.ts';
import { HttpError } from './http-error.ts';

const quiet = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { stream, lines };
};

const server = (options: Parameters<typeof createServer>[0] = {}) => {
  const { stream, lines } = quiet();
  const app = createServer({ logStream: stream, ...options });
  app.post('/echo', async (req) => ({ raw: req.rawBody?.toString('utf8'), body: req.body }));
  app.post('/throw/:code', async (req) => {
    const { code } = req.params as { code: string };
    if (code === 'boom') throw new Error('database password is hunter2');
    if (code === 'rate_limited')
      throw new HttpError(code, 'Slow down.', { headers: { 'retry-after': '7' } });
    if (code === 'invalid_event') {
      throw new HttpError(code, 'Not a valid event.', {
        details: { issues: [{ path: 'status', message: 'required' }] },
      });
    }
    throw new HttpError(code, `failed with ${code}`);
  });
  return { app, lines };
};

const post = (
  app: ReturnType<typeof server>['app'],
  url: string,
  payload: string,
  type = 'application/json',
) => app.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });

describe('createServer', () => {
  it('keeps the exact raw bytes a signature was computed over', async () => {
    const { app } = server();
    const payload = '{ "b": 1,   "a": [ 2 ] }';
    const res = await post(app, '/echo', payload);
    expect(res.json()).toEqual({ raw: payload, body: { b: 1, a: [2] } });
  });

  it('parses forms and keeps them raw too', async () => {
    const { app } = server();
    const res = await post(
      app,
      '/echo',
      'To=%2B1555&Body=STOP',
      'application/x-www-form-urlencoded',
    );
    expect(res.json()).toEqual({
      raw: 'To=%2B1555&Body=STOP',
      body: { To: '+1555', Body: 'STOP' },
    });
  });

  it.each([
    ['malformed JSON', '{"a":', 'application/json', 400, 'malformed_json'],
    ['an empty JSON body', '', 'application/json', 400, 'malformed_json'],
    ['a body of the wrong type', 'hello', 'text/plain', 415, 'unsupported_media_type'],
  ])('answers %s with %i %s', async (_what, payload, type, status, code) => {
    const { app } = server();
    const res = await post(app, '/echo', payload, type);
    expect(res.statusCode).toBe(status);
    expect(res.json().error).toMatchObject({ code, requestId: expect.any(String) });
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    const { app } = server({ bodyLimit: 1024 });
    const res = await post(app, '/echo', JSON.stringify({ pad: 'x'.repeat(2048) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it.each([
    ['missing_signature', 401],
    ['bad_signature', 401],
    ['stale_request', 401],
    ['replayed_request', 409],
    ['store_unavailable', 503],
  ])('turns HttpError %s into status %i with that code', async (code, status) => {
    const { app } = server();
    const res = await post(app, `/throw/${code}`, '{}');
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it('answers 422 with the issues and 429 with Retry-After', async () => {
    const { app } = server();
    const invalid = await post(app, '/throw/invalid_event', '{}');
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().error.issues).toEqual([{ path: 'status', message: 'required' }]);
    const limited = await post(app, '/throw/rate_limited', '{}');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
  });

  it('hides the cause of an unexpected failure behind 500 internal_error', async () => {
    const { app } = server();
    const res = await post(app, '/throw/boom', '{}');
    expect(res.statusCode).toBe(500);
    expect(res.json().error).toMatchObject({ code: 'internal_error' });
    expect(res.body).not.toContain('hunter2');
  });

  it('answers unknown routes with 404 not_found', async () => {
    const { app } = server();
    const res = await app.inject({ method: 'GET', url: '/nope?email=a@b.co' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    expect(res.body).not.toContain('a@b.co');
  });

  it('echoes a caller request id, and makes one otherwise', async () => {
    const { app } = server();
    const given = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'req-12345678' },
    });
    expect(given.headers['x-request-id']).toBe('req-12345678');
    const made = await app.inject({ method: 'GET', url: '/healthz' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('health, readiness and metrics', () => {
  it('is healthy while up, and ready only when its checks pass', async () => {
    let storeUp = true;
    const { app } = server({
      readiness: async () => ({ ready: storeUp, checks: { store: { ok: storeUp } } }),
    });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    storeUp = false;
    const down = await app.inject({ method: 'GET', url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json().error).toMatchObject({
      code: 'store_unavailable',
      checks: { store: { ok: false } },
    });
  });

  it('exposes Prometheus metrics for ingest, dispatch, receipts, suppressions and latency', async () => {
    const { app } = server();
    app.metrics.suppressions.inc({ reason: 'consent_opted_out' });
    app.metrics.providerLatency.observe({ provider: 'twilio' }, 0.2);
    await app.inject({ method: 'GET', url: '/healthz' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    for (const name of [
      'tidings_ingest_total',
      'tidings_dispatch_total',
      'tidings_receipts_total',
      'tidings_suppressions_total{reason="consent_opted_out"} 1',
      'tidings_provider_latency_seconds_bucket',
      'tidings_http_requests_total{route="/healthz",method="GET",status="200"} 1',
    ]) {
      expect(res.body).toContain(name);
    }
  });
});

describe('logs', () => {
  it('never contain the personal data requests carry', async () => {
    const { app, lines } = server();
    app.post('/orders', async (req) => {
      const body = req.body as Record<string, unknown>;
      req.log.info(
        { body, customer: body.customer, note: `call ${String(body.phone)}` },
        'order received',
      );
      req.log.warn(`could not reach ${String(body.email)} at ${String(body.phone)}`);
      throw new Error(`bounce from ${String(body.email)}`);
    });
    const personal = {
      email: 'ana.tremblay@example.com',
      phone: '+1 (416) 555-0100',
      customer: { name: 'Ana Tremblay', address1: '12 Rue Saint-Denis' },
      token: 'shpat_0123456789abcdef',
    };
    await app.inject({
      method: 'POST',
      url: '/orders?email=ana.tremblay@example.com',
      payload: personal,
      headers: { authorization: 'Bearer shpat_0123456789abcdef' },
    });
    const log = lines.join('');
    expect(log).toContain('order received');
    for (const secret of [
      'ana.tremblay@example.com',
      '555-0100',
      'Ana Tremblay',
      'Saint-Denis',
      'shpat_0123456789abcdef',
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('logging odd values', () => {
  it('logs an error given as a plain message, or as nothing, without throwing', () => {
    const { app, lines } = server();
    app.log.error({ err: 'store closed for a@b.co' }, 'loop failed');
    app.log.error({ err: undefined }, 'loop failed again');
    app.log.error({ err: new Error('boom at +14165550100') }, 'and again');
    const log = lines.join('');
    expect(log).toContain('store closed for [email]');
    expect(log).toContain('boom at [phone]');
    expect(log).not.toContain('a@b.co');
  });
});
