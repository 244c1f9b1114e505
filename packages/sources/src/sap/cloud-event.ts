/**
 * @module CloudEvents 1.0 over HTTP (HTTP protocol binding 1.0.2): structured mode
 * (`application/cloudevents+json`, the whole event is the body), batched mode
 * (`application/cloudevents-batch+json`, an array) and binary mode (attributes in `ce-*` headers,
 * the body is `data`). The mode follows from Content-Type.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type PayloadIssue, parsePayload } from '../shared/source-http.ts';

export const CloudEventSchema = z.looseObject({
  specversion: z.literal('1.0'),
  id: z.string().min(1).max(256),
  source: z.string().min(1).max(512),
  type: z.string().min(1).max(256),
  time: z.iso.datetime({ offset: true }).optional(),
  subject: z.string().optional(),
  datacontenttype: z.string().optional(),
  data: z.unknown().optional(),
});
export type CloudEvent = z.infer<typeof CloudEventSchema>;

export type CloudEventMode = 'structured' | 'batch' | 'binary';

export const cloudEventMode = (contentType: string | undefined): CloudEventMode => {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (media === 'application/cloudevents-batch+json') return 'batch';
  if (media.startsWith('application/cloudevents')) return 'structured';
  return 'binary';
};

const ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'time', 'subject'] as const;

/** The events a request carries, or the paths that are wrong. */
export const readCloudEvents = (
  req: FastifyRequest,
):
  | { ok: true; mode: CloudEventMode; events: CloudEvent[] }
  | { ok: false; issues: PayloadIssue[] } => {
  const mode = cloudEventMode(req.headers['content-type']);
  if (mode === 'binary') {
    const event: Record<string, unknown> = { data: req.body };
    for (const name of ATTRIBUTES) {
      const value = req.headers[`ce-${name}`];
      if (typeof value === 'string') event[name] = value;
    }
    const type = req.headers['content-type'];
    if (typeof type === 'string') event.datacontenttype = type;
    const parsed = parsePayload(CloudEventSchema, event, 'ce');
    return parsed.ok ? { ok: true, mode, events: [parsed.value] } : parsed;
  }
  if (mode === 'batch') {
    const parsed = parsePayload(z.array(CloudEventSchema).min(1).max(100), req.body, 'batch');
    return parsed.ok ? { ok: true, mode, events: parsed.value } : parsed;
  }
  const parsed = parsePayload(CloudEventSchema, req.body, 'event');
  return parsed.ok ? { ok: true, mode, events: [parsed.value] } : parsed;
};
