/**
 * @module SendGrid's signed Event Webhook: ECDSA P-256/SHA-256 over timestamp + raw body, checked
 * with the account's public key, and each event mapped to a canonical delivery state.
 */
import { createPublicKey, verify } from 'node:crypto';
import type {
  DeliveryState,
  InboundRequest,
  ReceiptParse,
  ReceiptUpdate,
} from '../core-contract.ts';
import { headerOf } from '../signatures/constant-time.ts';

/** SendGrid event → canonical state; `group_resubscribe` restores consent and is no delivery state. */
export const SENDGRID_DELIVERY_STATES: Readonly<Record<string, DeliveryState>> = {
  processed: 'queued',
  deferred: 'queued',
  delivered: 'delivered',
  open: 'read',
  click: 'read',
  dropped: 'failed',
  spamreport: 'complained',
  unsubscribe: 'unsubscribed',
  group_unsubscribe: 'unsubscribed',
};

/** Returns whether the base64 DER signature covers `timestamp + payload` under the base64 SPKI key. */
export const verifySendgridSignature = (
  publicKeyBase64: string,
  payload: Uint8Array | string,
  signatureBase64: string | undefined,
  timestamp: string | undefined,
): boolean => {
  if (signatureBase64 === undefined || timestamp === undefined || publicKeyBase64 === '')
    return false;
  try {
    const key = createPublicKey({
      key: Buffer.from(publicKeyBase64, 'base64'),
      format: 'der',
      type: 'spki',
    });
    const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), Buffer.from(payload)]);
    return verify('sha256', signed, key, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
};

interface SendgridEvent {
  event?: string;
  email?: string;
  timestamp?: number;
  sg_message_id?: string;
  type?: string;
  reason?: string;
}

const stateOf = (e: SendgridEvent): DeliveryState | undefined => {
  // A hard bounce marks the address bad; a "blocked" bounce is a soft block SendGrid retries.
  if (e.event === 'bounce') return e.type === 'blocked' ? 'undelivered' : 'bounced';
  return e.event === undefined ? undefined : SENDGRID_DELIVERY_STATES[e.event];
};

/** Verifies and parses an Event Webhook batch; requests older than `maxAgeMs` are refused as replays. */
export const parseSendgridEvents = (
  request: InboundRequest,
  publicKey: string,
  now: Date,
  maxAgeMs = 10 * 60 * 1000,
): ReceiptParse => {
  const timestamp = headerOf(request, 'x-twilio-email-event-webhook-timestamp');
  const signature = headerOf(request, 'x-twilio-email-event-webhook-signature');
  if (!verifySendgridSignature(publicKey, request.rawBody, signature, timestamp)) {
    return {
      ok: false,
      error: { code: 'bad_signature', message: 'The SendGrid event signature does not match.' },
    };
  }
  if (Math.abs(now.getTime() - Number(timestamp) * 1000) > maxAgeMs) {
    return {
      ok: false,
      error: { code: 'stale_request', message: 'The SendGrid event batch is too old.' },
    };
  }
  let events: unknown;
  try {
    events = JSON.parse(new TextDecoder().decode(request.rawBody));
  } catch {
    return {
      ok: false,
      error: { code: 'malformed_receipt', message: 'The SendGrid event batch is not JSON.' },
    };
  }
  if (!Array.isArray(events)) {
    return {
      ok: false,
      error: { code: 'malformed_receipt', message: 'The SendGrid event batch is not an array.' },
    };
  }
  const receipts: ReceiptUpdate[] = [];
  for (const e of events as SendgridEvent[]) {
    const state = stateOf(e);
    // sg_message_id is "<X-Message-Id>.<filter suffix>": match on the part before the first dot.
    const id = e.sg_message_id?.split('.')[0];
    if (state === undefined || id === undefined || id === '') continue;
    receipts.push({
      providerMessageId: id,
      state,
      at: new Date((e.timestamp ?? now.getTime() / 1000) * 1000).toISOString(),
      ...(e.event === undefined ? {} : { providerCode: e.event }),
      ...(e.email === undefined ? {} : { contact: e.email }),
    });
  }
  return { ok: true, receipts, inbound: [] };
};
