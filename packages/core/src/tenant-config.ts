/**
 * @module `TenantConfig`: what one merchant (a shop, a portal, an org, a site) has set up —
 * how its platform's custom statuses map, which channels it prefers, and its compliance
 * settings, its rules and its own templates.
 */
import { z } from 'zod';
import { CHANNEL_KINDS, CUSTOMER_CHANNELS, INTERNAL_CHANNELS } from './channel-kinds.ts';
import { GuardSchema } from './order-event.ts';
import { PLATFORM_IDS } from './platforms.ts';
import type { Err } from './result.ts';
import { DEFAULT_RULES } from './rules/default-rules.ts';
import { RuleSetSchema } from './rules/rule-schema.ts';
import {
  ALL_OVERLAY_REASONS,
  CANONICAL_STATUSES,
  isValidReason,
  OVERLAY_KINDS,
} from './statuses.ts';
import { TEMPLATE_CHANNELS } from './templates/template-types.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like "21:00"');

const window = z.object({ start: hhmm, end: hhmm });

export const StatusMappingSchema = z
  .object({
    status: z.enum([...CANONICAL_STATUSES, 'ignore']),
    overlay: z.enum(OVERLAY_KINDS).optional(),
    reason: z.enum(ALL_OVERLAY_REASONS).optional(),
    pickup: z.literal(true).optional(),
    guard: GuardSchema.optional(),
    voidShipment: z.literal(true).optional(),
    note: z.string().optional(),
  })
  .refine((m) => !m.reason || (m.overlay !== undefined && isValidReason(m.overlay, m.reason)), {
    message: 'a reason needs an overlay it belongs to',
    path: ['reason'],
  });

/** platform → field → value → mapping, e.g. `{ hubspot: { hs_pipeline_stage: { '1234': … } } }`. */
export const TenantStatusMappingsSchema = z.partialRecord(
  z.enum(PLATFORM_IDS),
  z.record(z.string().min(1), z.record(z.string(), StatusMappingSchema)),
);

export const TenantConfigSchema = z.object({
  tenantId: z.string().min(1),
  name: z.string().min(1),
  defaultLocale: z.string().min(2).default('en'),
  defaultTimeZone: z.string().min(1).default('UTC'),
  statusMappings: TenantStatusMappingsSchema.default({}),
  channelPreferences: z
    .object({
      customer: z.array(z.enum(CUSTOMER_CHANNELS)).min(1),
      internal: z.array(z.enum(INTERNAL_CHANNELS)),
    })
    .default({ customer: ['email', 'sms'], internal: [] }),
  compliance: z
    .object({
      /**
       * The tenant's own quiet hours per message class, in the recipient's time zone; `null`
       * switches the tenant window off for that class (jurisdiction windows still apply).
       */
      quietHours: z
        .object({
          critical: window.nullable().default(null),
          transactional: window.nullable().default({ start: '21:00', end: '08:00' }),
          marketing: window.nullable().default({ start: '21:00', end: '08:00' }),
        })
        .default({
          critical: null,
          transactional: { start: '21:00', end: '08:00' },
          marketing: { start: '21:00', end: '08:00' },
        }),
      /** Channels where even order updates need an explicit opt-in record. */
      explicitConsentChannels: z.array(z.enum(CHANNEL_KINDS)).default([]),
      /** Product categories treated as restricted goods, on top of the built-in families. */
      restrictedCategories: z.array(z.string().min(1)).default([]),
      /** Where a customer cancels a delayed order (FTC Mail Order Rule notices link to it). */
      cancelUrl: z.url().optional(),
    })
    .prefault({}),
  rules: RuleSetSchema.default(() => [...DEFAULT_RULES]),
  /** Tenant template sources: key → channel → locale → part → Liquid. */
  templates: z
    .record(
      z.string().min(1),
      z.partialRecord(
        z.enum(TEMPLATE_CHANNELS),
        z.record(z.string().min(2), z.record(z.string().min(1), z.string().max(20_000))),
      ),
    )
    .default({}),
});
export type TenantConfig = z.infer<typeof TenantConfigSchema>;
export type TenantConfigInput = z.input<typeof TenantConfigSchema>;

/** Validates a tenant's configuration, naming each path that is wrong. */
export const parseTenantConfig = (
  input: unknown,
): { ok: true; config: TenantConfig } | Err<{ code: 'invalid_config'; message: string }> => {
  const parsed = TenantConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  const detail = parsed.error.issues
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  return {
    ok: false,
    error: { code: 'invalid_config', message: `Invalid tenant config: ${detail}` },
  };
};
