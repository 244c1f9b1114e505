/**
 * @module The Fastify factory every Tidings app is mounted on: raw bodies kept for signatures,
 * a body limit, JSON errors with stable codes, request ids, redacted logs, health, readiness and
 * Prometheus metrics.
 */
import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import pino, { type DestinationStream, type Logger } from 'pino';
import { type ErrorBody, HttpError } from './http-error.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { redactPersonalData, scrubText } from './redact.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes received; signatures are computed over these, never over re-serialised JSON. */
    rawBody: Buffer | undefined;
  }
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface ServerOptions {
  /** Largest accepted body in bytes; default 1 MiB (platform webhooks are far smaller). */
  bodyLimit?: number;
  /** Log level; default `info`. */
  logLevel?: string;
  /** Where logs go; default stdout. Tests pass a stream to scan what was logged. */
  logStream?: DestinationStream;
  /** Asked by `/readyz`; absent means ready once listening. */
  readiness?: () => Promise<Readiness>;
  metrics?: Metrics;
  /**
   * Asked when a handler fails unexpectedly: true when a dependency is down (the store), so the
   * caller gets 503 `store_unavailable` — a reason to retry — instead of 500.
   */
  dependencyDown?: (err: unknown) => Promise<boolean>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * What a log line may say about a request, a reply and an error. Idempotent, because they run
 * twice: first in the redacting formatter (so it never walks Fastify's request and reply
 * objects, which cost about half of a busy server's CPU), then as pino's own serializers.
 */
const logSerializers = {
  // Paths only: query strings can carry e-mails, tokens or ids.
  req: (req: Partial<FastifyRequest> & { raw?: { url?: string }; path?: string }) => ({
    method: req.method,
    path: String(req.path ?? req.url ?? req.raw?.url ?? '').split('?')[0],
    id: req.id,
  }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
  // Callers log `{ err }` with an Error, or sometimes just its message: take either.
  err: (err: unknown) => {
    if (typeof err !== 'object' || err === null) return { message: scrubText(String(err)) };
    const e = err as { name?: unknown; type?: unknown; code?: unknown; message?: unknown };
    return {
      type: String(e.type ?? e.name ?? 'Error'),
      ...(e.code !== undefined ? { code: String(e.code) } : {}),
      message: scrubText(String(e.message ?? '')),
    };
  },
} as const;

const serializedFirst = (object: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    const serialize = logSerializers[key as keyof typeof logSerializers] as
      | ((v: unknown) => unknown)
      | undefined;
    out[key] = serialize && value !== undefined && value !== null ? serialize(value) : value;
  }
  return out;
};

/** A pino logger that redacts personal data from every object and message it is given. */
export const createLogger = (level = 'info', stream?: DestinationStream): Logger =>
  pino(
    {
      level,
      formatters: {
        log: (object) => redactPersonalData(serializedFirst(object)) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) =>
            typeof a === 'string' ? scrubText(a) : a,
          ) as typeof args;
          method.apply(this, scrubbed);
        },
      },
      serializers: logSerializers,
    },
    stream,
  );

const FASTIFY_CODES: Record<string, [string, number]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', 413],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 415],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['malformed_body', 400],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['malformed_body', 400],
  FST_ERR_CTP_EMPTY_TYPE: ['unsupported_media_type', 415],
};

/** Maps anything thrown in a handler to an HttpError without leaking internals. */
export const toHttpError = (err: unknown): HttpError => {
  if (err instanceof HttpError) return err;
  const e = err as Partial<FastifyError> & { validation?: unknown };
  const known = e.code ? FASTIFY_CODES[e.code] : undefined;
  if (known)
    return new HttpError(known[0], e.message ?? known[0], { status: known[1], cause: err });
  if (e.validation) {
    return new HttpError('invalid_request', e.message ?? 'The request is not valid.', {
      cause: err,
    });
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status === 404) return new HttpError('not_found', 'Not found.', { cause: err });
  if (status === 429) return new HttpError('rate_limited', 'Too many requests.', { cause: err });
  if (status === 503)
    return new HttpError('shutting_down', 'The server is shutting down.', { cause: err });
  if (status >= 400 && status < 500) {
    return new HttpError('invalid_request', e.message ?? 'Bad request.', { status, cause: err });
  }
  return new HttpError('internal_error', 'Something went wrong on our side.', { cause: err });
};

/** Creates a Fastify server with Tidings' conventions; apps register their routes on it. */
export const createServer = (options: ServerOptions = {}): FastifyInstance => {
  const metrics = options.metrics ?? createMetrics();
  const logger: FastifyBaseLogger = createLogger(options.logLevel ?? 'info', options.logStream);
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    return503OnClosing: true,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  app.decorate('metrics', metrics);
  app.decorateRequest('rawBody', undefined);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    /^application\/([a-z0-9.+-]*\+)?json$/,
    { parseAs: 'buffer' },
    (req, body, done) => {
      req.rawBody = body as Buffer;
      if ((body as Buffer).length === 0) {
        done(new HttpError('malformed_json', 'The body is empty; a JSON document was expected.'));
        return;
      }
      try {
        done(null, JSON.parse((body as Buffer).toString('utf8')));
      } catch (cause) {
        done(new HttpError('malformed_json', 'The body is not valid JSON.', { cause }));
      }
    },
  );
  // Twilio, Mailgun and others post forms; the signature covers the raw form.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (req, body, done) => {
      req.rawBody = body as Buffer;
      done(null, Object.fromEntries(new URLSearchParams((body as Buffer).toString('utf8'))));
    },
  );

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.httpRequests.inc({
      route: req.routeOptions.url ?? 'unmatched',
      method: req.method,
      status: String(reply.statusCode),
    });
  });

  app.setErrorHandler(async (err, req, reply) => {
    let http = toHttpError(err);
    if (
      http.code === 'internal_error' &&
      options.dependencyDown &&
      (await options.dependencyDown(err).catch(() => true))
    ) {
      http = new HttpError('store_unavailable', 'A dependency is unavailable; retry later.', {
        cause: err,
      });
    }
    if (http.statusCode >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: http.code, status: http.statusCode }, 'request rejected');
    const body: ErrorBody = {
      error: { code: http.code, message: http.message, requestId: req.id, ...http.details },
    };
    return reply.status(http.statusCode).headers(http.headers).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const body: ErrorBody = {
      error: {
        code: 'not_found',
        message: `No route ${req.method} ${req.url.split('?')[0]}.`,
        requestId: req.id,
      },
    };
    void reply.status(404).send(body);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const readiness: Readiness = options.readiness
      ? await options.readiness()
      : { ready: true, checks: {} };
    if (!readiness.ready) {
      throw new HttpError('store_unavailable', 'Not ready: a dependency is unavailable.', {
        details: { checks: readiness.checks },
      });
    }
    return reply.send(readiness);
  });
  app.get('/metrics', async (_req, reply) =>
    reply
      .header('content-type', metrics.registry.contentType)
      .send(await metrics.registry.metrics()),
  );
  return app;
};
