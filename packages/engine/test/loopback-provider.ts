/**
 * @module A provider stub on 127.0.0.1 that records every POST's intent id and idempotency key in
 * the process that started it (so a killed dispatcher cannot take the record with it), a `Channel`
 * adapter that posts to it through the channels package's production transport (so the
 * benchmark pays what a real adapter pays per call), and a channel resolver serving that adapter.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultTransport, type ProviderTransport } from '@tidings/channels';
import type { Channel, ChannelKind, SendResult } from '@tidings/core';
import type { ChannelResolver } from '../src/dispatcher.ts';
import type { RateLimit } from '../src/rate-limiter.ts';

/** One request the stub received, recorded before it answers. */
export interface LoopbackRequest {
  intentId: string;
  /** The `Idempotency-Key` header as sent. */
  idempotencyKey: string;
  /** The `X-Worker` header: which dispatcher sent it. */
  worker: string;
  /** `performance.now()` on arrival. */
  at: number;
}

export interface LoopbackProviderOptions {
  /** Milliseconds to wait before answering (a number, or drawn per request). */
  latencyMs?: number | (() => number);
  /**
   * An HTTP status to answer instead of 200 (e.g. 503, 429), given the intent id and how many
   * times it has been seen including this one; `undefined` answers 200.
   */
  failWith?: (intentId: string, seen: number) => number | undefined;
  /** Keep the request log (default true); a benchmark of 100 000 sends may only want counts. */
  keepLog?: boolean;
}

export interface LoopbackProvider {
  /** `http://127.0.0.1:<port>/messages`. */
  url: string;
  /** Every request in arrival order (empty when `keepLog` is false). */
  requests: LoopbackRequest[];
  /** How many times each intent id arrived. */
  seen: Map<string, number>;
  /** Requests answered, all statuses. */
  total(): number;
  /** Ids that arrived more than once, with their counts. */
  repeats(): [string, number][];
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const header = (req: IncomingMessage, name: string): string => {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
};

/** Starts the stub on a random loopback port. */
export const startLoopbackProvider = async (
  options: LoopbackProviderOptions = {},
): Promise<LoopbackProvider> => {
  const requests: LoopbackRequest[] = [];
  const seen = new Map<string, number>();
  const keepLog = options.keepLog ?? true;
  let answered = 0;
  let nextId = 0;
  const latency = options.latencyMs;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const body = await readBody(req);
    let intentId = '';
    try {
      const parsed = JSON.parse(body) as { intentId?: unknown };
      if (typeof parsed.intentId === 'string') intentId = parsed.intentId;
    } catch {
      // Answered 400 below.
    }
    if (intentId === '') {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"no intentId"}');
      return;
    }
    const count = (seen.get(intentId) ?? 0) + 1;
    seen.set(intentId, count);
    if (keepLog) {
      requests.push({
        intentId,
        idempotencyKey: header(req, 'idempotency-key'),
        worker: header(req, 'x-worker'),
        at: performance.now(),
      });
    }
    const wait = typeof latency === 'function' ? latency() : (latency ?? 0);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    answered += 1;
    const status = options.failWith?.(intentId, count);
    if (status !== undefined) {
      res
        .writeHead(status, { 'content-type': 'application/json', 'retry-after': '1' })
        .end('{"error":"stub failure"}');
      return;
    }
    nextId += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":"lb-${nextId}"}`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/messages`,
    requests,
    seen,
    total: () => answered,
    repeats: () => [...seen].filter(([, n]) => n > 1),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export interface LoopbackChannelConfig {
  url: string;
  kind?: ChannelKind;
  /** Sent as `X-Worker`, so the stub can tell dispatchers apart. */
  worker?: string;
}

/** A `Channel` that posts each message to the stub, with the intent id as `Idempotency-Key`. */
export const createLoopbackChannel = (
  config: LoopbackChannelConfig,
  deps: { transport?: ProviderTransport } = {},
): Channel<unknown> => {
  const transport = deps.transport ?? defaultTransport;
  return {
    provider: 'loopback',
    channel: config.kind ?? 'email',
    async send(message, _credentials, options): Promise<SendResult> {
      // The dispatcher passes a real AbortSignal; core only names the part it can type.
      const signal = (options?.signal as AbortSignal | undefined) ?? AbortSignal.timeout(15_000);
      let response: Awaited<ReturnType<ProviderTransport>>;
      try {
        response = await transport({
          url: config.url,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': message.intentId,
            'x-worker': config.worker ?? '',
          },
          body: JSON.stringify({
            intentId: message.intentId,
            to: message.to,
            channel: message.channel,
            status: message.status,
          }),
          signal,
        });
      } catch (err) {
        return {
          ok: false,
          error: { code: 'network', class: 'retryable', message: (err as Error).message },
        };
      }
      const { text } = response;
      if (response.status >= 200 && response.status < 300) {
        const id = (JSON.parse(text) as { id?: unknown }).id;
        return { ok: true, providerMessageId: typeof id === 'string' ? id : message.intentId };
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      const retryable = response.status === 429 || response.status >= 500;
      return {
        ok: false,
        error: {
          code: `http_${response.status}`,
          class: retryable ? 'retryable' : 'permanent',
          message: `loopback answered ${response.status}`,
          providerStatus: response.status,
          ...(retryable && Number.isFinite(retryAfter) && retryAfter > 0
            ? { retryAfterMs: retryAfter * 1000 }
            : {}),
        },
      };
    },
  };
};

/** A resolver that serves one loopback channel for its kind, to every tenant. */
export const loopbackResolver = (
  channel: Channel<unknown>,
  rateLimit?: RateLimit,
): ChannelResolver => ({
  async resolve(_tenantId, kind) {
    if (kind !== channel.channel) return undefined;
    return {
      channel,
      credentials: {},
      accountKey: `loopback-${kind}`,
      ...(rateLimit ? { rateLimit } : {}),
    };
  },
});
