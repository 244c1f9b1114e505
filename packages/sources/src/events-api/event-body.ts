/**
 * @module The canonical event body of `POST /api/events`: core's `OrderEvent` without the parts
 * the API decides itself (the tenant comes from the signed header, the source is `api`, and
 * manual overrides belong to the admin API). Unknown fields are refused so typos surface.
 */
import { OrderEventSchema } from '@tidings/core';
import { z } from 'zod';

export const EventsApiBodySchema = OrderEventSchema.omit({
  tenantId: true,
  source: true,
  override: true,
}).strict();
export type EventsApiBody = z.infer<typeof EventsApiBodySchema>;

/** The body's JSON Schema (draft 2020-12), as `GET /api/events/schema` serves it. */
export const eventsApiJsonSchema = (): Record<string, unknown> => ({
  ...z.toJSONSchema(EventsApiBodySchema, { io: 'input', unrepresentable: 'any' }),
  title: 'Tidings canonical order event',
  description:
    'POST /api/events body. Sign it: X-Tidings-Signature: v1=hex(HMAC-SHA256(secret, "<X-Tidings-Timestamp>.<body>")).',
});
