/**
 * @module Rules as data: when an event matches `when`, tell `notify.audience` on `notify.channels`
 * (in preference order, falling back) with `notify.template`, after an optional delay or as a
 * digest. Validated with zod; the JSON Schema is exported for the admin UI.
 */
import { z } from 'zod';
import { CHANNEL_KINDS } from '../channel-kinds.ts';
import { AUDIENCES, MESSAGE_CLASSES } from '../message-class.ts';
import { SOURCE_IDS } from '../platforms.ts';
import { ALL_OVERLAY_REASONS, CANONICAL_STATUSES } from '../statuses.ts';

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string like "100.00"');
const setTest = z
  .object({
    any: z.array(z.string().min(1)).optional(),
    all: z.array(z.string().min(1)).optional(),
    none: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const RuleConditionSchema = z
  .object({
    /** Matches the event's status, or the overlay it raises alongside a rung. */
    statuses: z.array(z.enum(CANONICAL_STATUSES)).min(1).optional(),
    /** Matches the overlay's reason (hold, delay or exception reason). */
    reasons: z
      .object({
        any: z.array(z.enum(ALL_OVERLAY_REASONS)).optional(),
        none: z.array(z.enum(ALL_OVERLAY_REASONS)).optional(),
      })
      .strict()
      .optional(),
    sources: z.array(z.enum(SOURCE_IDS)).min(1).optional(),
    /** `present`: shipment-level news only; `absent`: order-level only. */
    shipment: z.enum(['present', 'absent']).optional(),
    /** True: only when the order is split over several shipments; false: only when not. */
    split: z.boolean().optional(),
    /** ISO 3166-1 alpha-2 of the customer. */
    countries: z
      .array(z.string().regex(/^[A-Z]{2}$/))
      .min(1)
      .optional(),
    /** ISO 3166-2 of the customer, e.g. "US-CA". */
    regions: z
      .array(z.string().regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/))
      .min(1)
      .optional(),
    orderTotal: z
      .object({
        min: decimal.optional(),
        max: decimal.optional(),
        currency: z.string().length(3).optional(),
      })
      .strict()
      .optional(),
    tags: setTest.optional(),
    /** Product categories of the order's line items. */
    categories: setTest.optional(),
    /** The customer's consent on a channel. */
    consent: z
      .object({ channel: z.enum(CHANNEL_KINDS), state: z.enum(['opted_in', 'not_opted_out']) })
      .strict()
      .optional(),
  })
  .strict();
export type RuleCondition = z.infer<typeof RuleConditionSchema>;

export const RuleActionSchema = z
  .object({
    audience: z.enum(AUDIENCES),
    /** Preference order; later channels are fallbacks. Omitted: the tenant's preferences. */
    channels: z.array(z.enum(CHANNEL_KINDS)).min(1).optional(),
    /** Omitted: the event's status for customers, `internal.<status>` for staff. */
    template: z.string().min(1).optional(),
    delayMinutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 30)
      .default(0),
    /** Collect messages for this long and send one digest (staff alerts, mostly). */
    digestMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24)
      .optional(),
    class: z.enum(MESSAGE_CLASSES).default('transactional'),
  })
  .strict();
export type RuleAction = z.infer<typeof RuleActionSchema>;

export const RuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'lower-case letters, digits, _ . -'),
    description: z.string().optional(),
    enabled: z.boolean().default(true),
    when: RuleConditionSchema,
    notify: RuleActionSchema,
  })
  .strict();
export type Rule = z.infer<typeof RuleSchema>;
export type RuleInput = z.input<typeof RuleSchema>;

export const RuleSetSchema = z
  .array(RuleSchema)
  .refine(
    (rules) => new Set(rules.map((r) => r.id)).size === rules.length,
    'rule ids must be unique',
  );

/** The JSON Schema of a rule set, for the admin UI's editor. */
export const ruleSetJsonSchema = (): Record<string, unknown> =>
  z.toJSONSchema(RuleSetSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
