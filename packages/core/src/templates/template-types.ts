/**
 * @module The contract between the planner, the dispatcher and templates: what is rendered and
 * what a rendering looks like per channel.
 */
import type { Rewrite } from '../compliance/compliance-types.ts';

/** Channels with a default template pack; CRM channels (Intercom, Klaviyo, …) send data, not copy. */
export const TEMPLATE_CHANNELS = [
  'sms',
  'email',
  'whatsapp',
  'slack',
  'teams',
  'google_chat',
  'push',
] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];

export const TEMPLATE_LOCALES = ['en', 'es', 'fr', 'de'] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];

export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  characters: number;
}

export type Rendering =
  | { channel: 'sms'; text: string; segments: SmsSegments }
  | { channel: 'email'; subject: string; html: string; text: string }
  | {
      channel: 'whatsapp';
      /** The approved template's name and language code, as registered with Meta. */
      templateName: string;
      language: string;
      headerParameters: string[];
      bodyParameters: string[];
      /** The same message as free text, usable only inside the 24-hour window. */
      text: string;
    }
  | { channel: 'slack'; text: string; blocks: unknown[] }
  | { channel: 'teams'; card: Record<string, unknown> }
  | { channel: 'google_chat'; text: string; cardsV2: unknown[] }
  | { channel: 'push'; title: string; body: string };

/** A tenant's own template sources: key → channel → locale → part → Liquid source. */
export type TemplateOverrides = Record<
  string,
  Partial<Record<TemplateChannel, Record<string, Record<string, string>>>>
>;

export interface RenderRequest {
  /** Usually the canonical status (`dispatched`, `delayed`, …); rules may name their own. */
  templateKey: string;
  channel: TemplateChannel;
  /** The recipient's BCP 47 locale; falls back fr-CA → fr → en. */
  locale: string;
  timeZone: string;
  rewrites: Rewrite[];
  /** Variables, as built by the templates module from the event and the order state. */
  context: Record<string, unknown>;
  overrides?: TemplateOverrides;
}
