/**
 * @module The canonical `OrderEvent` every source is normalized into, validated with zod so apps
 * can answer 422 with the exact path that is wrong (never echoing the personal data in it).
 */
import { z } from 'zod';
import { CUSTOMER_CHANNELS } from './channel-kinds.ts';
import { memoize } from './compliance/bounded-memo.ts';
import { SOURCE_IDS } from './platforms.ts';
import type { CoreError, Err } from './result.ts';
import { CANONICAL_STATUSES, isValidReason, OVERLAY_KINDS, type OverlayKind } from './statuses.ts';

const nonEmpty = z.string().trim().min(1);
const isoInstant = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();
/** E.164, the form every SMS and WhatsApp provider takes. */
const e164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number like +14155550100');
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string like "42.50"');

/**
 * Whether Intl knows the zone. Memoised: each check builds an `Intl.DateTimeFormat`, whose native
 * ICU memory is not given back, and the same few zones arrive on every event.
 */
const isTimeZone = memoize((tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 2_000);

const isLocale = memoize((tag: string): boolean => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}, 2_000);

export const MoneySchema = z.object({
  amount: decimal,
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "EUR"'),
});
export type Money = z.infer<typeof MoneySchema>;

/** Contact points per channel kind. Internal channels (Slack, Teams, Chat) are tenant settings. */
export const ContactPointsSchema = z
  .object({
    sms: e164,
    whatsapp: e164,
    email: z.email(),
    push: nonEmpty,
    intercom: nonEmpty,
    klaviyo: nonEmpty,
    activecampaign: nonEmpty,
  })
  .partial();
export type ContactPoints = z.infer<typeof ContactPointsSchema>;
export type ContactChannel = keyof ContactPoints;

export const RECIPIENT_ROLES = ['customer', 'staff', 'account_owner'] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];

export const RecipientSchema = z.object({
  role: z.enum(RECIPIENT_ROLES),
  id: nonEmpty.optional(),
  name: nonEmpty.optional(),
  locale: z.string().refine(isLocale, 'must be a BCP 47 language tag like "fr-CA"').optional(),
  timeZone: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone like "Europe/Paris"')
    .optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code like "US"')
    .optional(),
  /** ISO 3166-2 subdivision, e.g. "US-CA"; quiet-hours and disclosure laws differ by state. */
  region: z
    .string()
    .regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'must be an ISO 3166-2 code like "US-CA"')
    .optional(),
  contacts: ContactPointsSchema,
});
export type Recipient = z.infer<typeof RecipientSchema>;

export const LineItemSchema = z.object({
  id: nonEmpty,
  sku: nonEmpty.optional(),
  title: nonEmpty.optional(),
  quantity: z.number().int().positive(),
  price: MoneySchema.optional(),
  /** Product categories drive restricted-goods compliance (age-restricted, pharmacy, …). */
  categories: z.array(nonEmpty).default([]),
});
export type LineItem = z.infer<typeof LineItemSchema>;

export const OrderFactsSchema = z.object({
  number: nonEmpty,
  total: MoneySchema.optional(),
  lineItems: z.array(LineItemSchema).default([]),
  tags: z.array(nonEmpty).default([]),
  placedAt: isoInstant.optional(),
  promisedDate: isoDate.optional(),
});
export type OrderFacts = z.infer<typeof OrderFactsSchema>;

export const ShipmentSchema = z.object({
  id: nonEmpty,
  carrier: nonEmpty.optional(),
  trackingNumber: nonEmpty.optional(),
  trackingUrl: z.url().optional(),
  items: z
    .array(z.object({ lineItemId: nonEmpty, quantity: z.number().int().positive() }))
    .optional(),
});
export type Shipment = z.infer<typeof ShipmentSchema>;

export const OverlayDetailSchema = z
  .object({
    kind: z.enum(OVERLAY_KINDS),
    reason: nonEmpty.optional(),
    /** For `delayed`: the revised promised date the customer must be told. */
    promisedDate: isoDate.optional(),
  })
  .refine((o) => o.reason === undefined || isValidReason(o.kind, o.reason), {
    message: 'reason does not belong to this overlay',
    path: ['reason'],
  });
export type OverlayDetail = {
  kind: OverlayKind;
  reason?: string | undefined;
  promisedDate?: string | undefined;
};

export const GUARD_REQUIREMENTS = [
  'prior_progress',
  'any_shipped',
  'all_dispatched',
  'all_delivered',
] as const;
export type GuardRequirement = (typeof GUARD_REQUIREMENTS)[number];

/**
 * A mapping that only holds in some states, e.g. HubSpot `closedlost` is a cancellation only if
 * the deal had been won. Normalizers cannot see state; the lifecycle resolves the guard.
 */
export const GuardSchema = z.object({
  requires: z.enum(GUARD_REQUIREMENTS),
  otherwise: z.enum([...CANONICAL_STATUSES, 'ignore']),
});
export type Guard = z.infer<typeof GuardSchema>;

export const OverrideSchema = z.object({
  actor: z.object({ id: nonEmpty, name: nonEmpty.optional() }),
  reason: nonEmpty,
  /** Staff may correct a status silently; by default the customer hears about it. */
  notify: z.boolean().default(true),
});
export type Override = z.infer<typeof OverrideSchema>;

/**
 * What the sending platform chose for this one event, as a rule's `notify` chooses for all of
 * them: a template key and the customer channels, in preference order. Platforms whose users
 * pick these per record (a HubSpot workflow action, a Salesforce Flow) put them here instead of
 * in tenant rules. It never widens what may be sent: consent and compliance still apply to every
 * channel named, and only the customer audience is affected.
 */
export const NotifyChoiceSchema = z
  .object({
    template: z
      .string()
      .regex(
        /^[A-Za-z0-9][\w.-]{0,99}$/,
        'must be a template key like "delivered" or "order_update"',
      )
      .optional(),
    channels: z
      .array(z.enum(CUSTOMER_CHANNELS))
      .min(1)
      .refine((c) => new Set(c).size === c.length, 'must not name a channel twice')
      .optional(),
  })
  .strict()
  .refine((n) => n.template !== undefined || n.channels !== undefined, {
    message: 'must choose a template or channels',
  });
export type NotifyChoice = z.infer<typeof NotifyChoiceSchema>;

export const OrderEventSchema = z.object({
  tenantId: nonEmpty,
  source: z.enum(SOURCE_IDS),
  /** The platform's own id for this delivery; the dedupe key. */
  sourceEventId: nonEmpty,
  orderRef: nonEmpty,
  occurredAt: isoInstant,
  /** The canonical status; `ignore` for known values that are stored but never notified. */
  status: z.enum([...CANONICAL_STATUSES, 'ignore']),
  raw: z.object({ value: z.string(), field: nonEmpty.optional() }),
  previousStatus: z.enum(CANONICAL_STATUSES).optional(),
  overlay: OverlayDetailSchema.optional(),
  /** Overlays this event lifts (a released hold, a resolved exception). */
  clear: z.array(z.enum(OVERLAY_KINDS)).optional(),
  guard: GuardSchema.optional(),
  /** "Out for delivery" that is really "ready for pickup", for wording. */
  pickup: z.boolean().optional(),
  /** The shipment was voided (label cancelled); the order's rank is re-evaluated without it. */
  voidShipment: z.boolean().optional(),
  shipment: ShipmentSchema.optional(),
  recipients: z.array(RecipientSchema).default([]),
  order: OrderFactsSchema,
  override: OverrideSchema.optional(),
  /** The sender's template and channel choice for this event's customer messages. */
  notify: NotifyChoiceSchema.optional(),
});
export type OrderEvent = z.infer<typeof OrderEventSchema>;
export type OrderEventInput = z.input<typeof OrderEventSchema>;

export interface EventIssue {
  path: string;
  message: string;
}
export interface InvalidEventError extends CoreError<'invalid_event'> {
  issues: EventIssue[];
}

/**
 * Validates untrusted input into an `OrderEvent`. Issues name the path and the rule broken, never
 * the offending value, so they are safe to log and to return to a caller.
 */
export const parseOrderEvent = (
  input: unknown,
): { ok: true; event: OrderEvent } | Err<InvalidEventError> => {
  const parsed = OrderEventSchema.safeParse(input);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issues = parsed.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.message,
  }));
  return {
    ok: false,
    error: {
      code: 'invalid_event',
      message: `The event is not a valid OrderEvent: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    },
  };
};
