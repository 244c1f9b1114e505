/**
 * @module The one interface every outbound provider adapter implements (`packages/channels`),
 * declared here so the engine depends on the shape, not on any provider.
 */
import type { ChannelKind } from './channel-kinds.ts';
import type { CoreError } from './result.ts';
import type { Rendering } from './templates/template-types.ts';

/** A rendered message ready for one provider call. */
export interface OutboundMessage {
  /** The intent id: the idempotency key towards providers that support one. */
  intentId: string;
  tenantId: string;
  orderRef: string;
  channel: ChannelKind;
  /** The contact point (E.164, e-mail, push external id); team channels take theirs from credentials. */
  to?: string;
  rendering: Rendering;
  /** Where the provider should post delivery receipts for this message, when it supports that. */
  statusCallbackUrl?: string;
  /** Canonical status and template key, for providers that take event names or tags (Klaviyo, …). */
  status: string;
  templateKey: string;
}

/**
 * How a failure should be handled: `retryable` (timeouts, 5xx, 429), `permanent` (invalid number,
 * bad template: try the next channel), `consent` (the recipient opted out: record it, never retry),
 * `window` (WhatsApp session closed: resend as an approved template).
 */
export const FAILURE_CLASSES = ['retryable', 'permanent', 'consent', 'window'] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

export interface SendFailure extends CoreError {
  class: FailureClass;
  /** From `Retry-After` or the provider's own hint. */
  retryAfterMs?: number;
  providerStatus?: number;
  providerCode?: string;
  /** The provider's error body, for the attempt record only; never shown to end users. */
  providerBody?: string;
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  | { ok: false; error: SendFailure };

/** Canonical delivery states a receipt can report (novu-style mapping from each provider). */
export const DELIVERY_STATES = [
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'bounced',
  'undelivered',
  'complained',
  'unsubscribed',
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** An HTTP request as received, with the exact bytes signatures are computed over. */
export interface InboundRequest {
  method: string;
  /** The full URL the provider called (scheme, host, path, query), as it signed it. */
  url: string;
  headers: Readonly<Record<string, string | undefined>>;
  rawBody: Uint8Array;
}

export interface ReceiptUpdate {
  providerMessageId: string;
  state: DeliveryState;
  at: string;
  providerCode?: string;
  /** The contact point concerned, when the provider says (for consent updates). */
  contact?: string;
}

/** A message a recipient sent us (an SMS reply, a WhatsApp message). */
export interface InboundMessage {
  from: string;
  to: string;
  text: string;
  at: string;
  providerMessageId: string;
}

/**
 * Set when a provider's signature covers only part of the request (Mailgun signs its timestamp
 * and token, not the event): the caller must take `key` once until `until`, or a captured
 * signature could carry another event. `body` tells a provider's redelivery of the same request
 * (harmless) from the key reused on another one.
 */
export interface ReplayGuard {
  key: string;
  /** A digest of the whole request body. */
  body: string;
  /** After this instant the signature is refused as stale anyway. */
  until: string;
}

export type ReceiptParse =
  | { ok: true; receipts: ReceiptUpdate[]; inbound: InboundMessage[]; replay?: ReplayGuard }
  | { ok: false; error: CoreError<'bad_signature' | 'stale_request' | 'malformed_receipt'> };

/**
 * The part of `AbortSignal` core can name without DOM or Node types; a real `AbortSignal` fits.
 * Adapters take the caller's signal and combine it with their own timeout.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

export interface SendOptions {
  signal?: AbortSignalLike;
  /**
   * WhatsApp: the customer wrote to us within 24 hours, so free text is allowed. Absent means
   * closed, and the approved template is sent (always lawful).
   */
  whatsappWindowOpen?: boolean;
  /** When the order event happened; providers that dedupe on an event time need it stable. */
  occurredAt?: string;
}

/** One provider behind one channel kind; `C` is its credentials' shape. */
export interface Channel<C = unknown> {
  /** A literal provider id, e.g. `twilio`, `sendgrid`. */
  readonly provider: string;
  readonly channel: ChannelKind;
  send(message: OutboundMessage, credentials: C, options?: SendOptions): Promise<SendResult>;
  /** Verifies and parses the provider's delivery callbacks and inbound messages, where it has them. */
  parseReceipt?(request: InboundRequest, credentials: C): ReceiptParse | Promise<ReceiptParse>;
}
