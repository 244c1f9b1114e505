/**
 * @module The shape of one language's default copy: a few shared lines, and per status (and per
 * internal alert) the Liquid for a headline, a customer message and a staff line. The pack
 * composer turns this into per-channel template parts.
 */
import type { CanonicalStatus } from '../../statuses.ts';

/** Staff alerts with the detail the customer does not get, keyed `internal.<name>`. */
export const INTERNAL_TEMPLATE_NAMES = [
  'on_hold',
  'delayed',
  'exception',
  'regulatory_hold',
] as const;
export type InternalTemplateName = (typeof INTERNAL_TEMPLATE_NAMES)[number];

export interface StatusCopy {
  /** Short headline: e-mail subject, push title. */
  title: string;
  /** The customer message, one to three sentences: SMS, WhatsApp, push body, e-mail lead. */
  message: string;
  /** The staff line for team channels (Slack, Teams, Google Chat). */
  staff: string;
}

export interface InternalCopy {
  title: string;
  body: string;
}

export interface LocaleCopy {
  greeting: string;
  signoff: string;
  itemsHeading: string;
  totalLabel: string;
  /** Fallback item title when a line has none (or generic wording is in force). */
  itemFallback: string;
  statuses: Record<CanonicalStatus, StatusCopy>;
  internal: Record<InternalTemplateName, InternalCopy>;
}
