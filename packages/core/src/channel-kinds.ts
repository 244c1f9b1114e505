/** @module The ways Tidings can reach a person or a team. */

/** Channels that reach a customer at a contact point of theirs. */
export const CUSTOMER_CHANNELS = [
  'sms',
  'whatsapp',
  'email',
  'push',
  'intercom',
  'klaviyo',
  'activecampaign',
] as const;
export type CustomerChannel = (typeof CUSTOMER_CHANNELS)[number];

/** Channels that reach the merchant's staff in a team space configured per tenant. */
export const INTERNAL_CHANNELS = ['slack', 'teams', 'google_chat', 'email'] as const;
export type InternalChannel = (typeof INTERNAL_CHANNELS)[number];

export const CHANNEL_KINDS = [...CUSTOMER_CHANNELS, 'slack', 'teams', 'google_chat'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
