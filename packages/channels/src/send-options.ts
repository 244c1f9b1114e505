/**
 * @module What a send can be told beyond core's `SendOptions` (proposed for core): whether the
 * WhatsApp session window is open, and when the order event happened.
 */
import type { SendOptions } from './core-contract.ts';

export interface ChannelSendOptions extends SendOptions {
  /**
   * WhatsApp only: the recipient wrote to us within the last 24 hours, so free text is allowed.
   * Absent means closed, so the approved template is sent: a template is always lawful.
   */
  whatsappWindowOpen?: boolean;
  /**
   * When the order event happened (ISO 8601). Providers that deduplicate on an event time
   * (Intercom's `created_at`) need it stable across retries; the send time is not.
   */
  occurredAt?: string;
}

/** Settings every adapter factory accepts. */
export interface AdapterConfig {
  /** Per-request timeout in milliseconds; defaults to 10 s. */
  timeoutMs?: number;
}
