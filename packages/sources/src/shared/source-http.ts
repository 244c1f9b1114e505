/**
 * @module What every source route shares at the edge: the tenant from the path, the raw JSON
 * body, per-tenant credentials read through a schema, payload validation that names paths (never
 * values), and the ingest outcome turned into an HTTP answer.
 */
import type { IngestResult } from '@tidings/engine';
import { HttpError } from '@tidings/http';
import type { Store } from '@tidings/store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

const TENANT_ID = /^[A-Za-z0-9._-]{1,128}$/;
const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;.*)?$/i;

/** The largest webhook body a source accepts; every provider here sends a few kilobytes. */
export const SOURCE_BODY_LIMIT = 256 * 1024;

/** The `:tenantId` path segment, checked for shape (404 otherwise, so ids are not probed). */
export const tenantFrom = (req: FastifyRequest): string => {
  const { tenantId } = req.params as { tenantId?: string };
  if (tenantId === undefined || !TENANT_ID.test(tenantId)) {
    throw new HttpError('not_found', 'No such source URL.');
  }
  return tenantId;
};

/** The exact bytes received; a body that is not JSON is 415, an empty one 400. */
export const rawJsonBody = (req: FastifyRequest): Buffer => {
  const type = req.headers['content-type'];
  if (typeof type !== 'string' || !JSON_TYPE.test(type)) {
    throw new HttpError('unsupported_media_type', 'Send the body as application/json.');
  }
  const raw = req.rawBody;
  if (raw === undefined || raw.length === 0) {
    throw new HttpError('malformed_body', 'The body is empty; a JSON document was expected.');
  }
  return raw;
};

/** One header's value, or undefined when absent or repeated. */
export const headerOf = (req: FastifyRequest, name: string): string | undefined => {
  const value = req.headers[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
};

export interface PayloadIssue {
  path: string;
  message: string;
}

/** Validates untrusted input; issues name the path and rule broken, never the value. */
export const parsePayload = <T>(
  schema: z.ZodType<T>,
  input: unknown,
  what: string,
): { ok: true; value: T } | { ok: false; issues: PayloadIssue[] } => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({
      path: [what, ...i.path.map(String)].join('.'),
      message: i.message,
    })),
  };
};

/** Like `parsePayload`, answering 422 `invalid_payload` at the edge. */
export const requirePayload = <T>(schema: z.ZodType<T>, input: unknown, what: string): T => {
  const parsed = parsePayload(schema, input, what);
  if (parsed.ok) return parsed.value;
  throw new HttpError(
    'invalid_payload',
    `The ${what} is not valid: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    { status: 422, details: { issues: parsed.issues } },
  );
};

/**
 * A tenant's credentials for one source, read through `schema`. Absent ⇒ 401
 * `source_not_configured` (the caller cannot be authenticated); unreadable or malformed ⇒ 500, an
 * operator's problem that a retry after the fix will get past.
 */
export const requireCredential = async <T>(
  store: Store,
  tenantId: string,
  provider: string,
  schema: z.ZodType<T>,
): Promise<T> => {
  const stored = await store.getCredential(tenantId, provider);
  if (!stored.ok) {
    if (stored.error.code === 'not_found') {
      throw new HttpError(
        'source_not_configured',
        `This source is not set up for the tenant (no "${provider}" credentials).`,
        { status: 401 },
      );
    }
    throw new HttpError('source_misconfigured', `The "${provider}" credentials cannot be read.`, {
      status: 500,
      cause: stored.error,
    });
  }
  const parsed = schema.safeParse(stored.value);
  if (!parsed.success) {
    throw new HttpError(
      'source_misconfigured',
      `The "${provider}" credentials do not have the expected fields: ${parsed.error.issues
        .map((i) => i.path.map(String).join('.') || '(root)')
        .join(', ')}.`,
      { status: 500 },
    );
  }
  return parsed.data;
};

/** Answers an ingest: 202 accepted, 200 for a duplicate or our own echo, 404/403 rejected. */
export const answerIngest = (
  reply: FastifyReply,
  result: IngestResult,
  extra: Record<string, unknown> = {},
): FastifyReply => {
  switch (result.outcome) {
    case 'accepted':
      return reply.status(202).send({
        outcome: 'accepted',
        verdict: result.verdict,
        intents: result.intents,
        ...extra,
      });
    case 'duplicate':
    case 'echo':
      return reply.status(200).send({ outcome: result.outcome, ...extra });
    case 'rejected':
      throw new HttpError(
        result.code === 'unknown_tenant' ? 'not_found' : 'forbidden',
        result.message,
      );
    default:
      return result satisfies never;
  }
};
