/**
 * @module Mailgun webhooks: the signature sits in the body (hex HMAC-SHA256 of timestamp + token
 * with the webhook signing key), and each event maps to a canonical delivery state.
 */
import { createHash, createHmac } from 'node:crypto';
import type {
  DeliveryState,
  InboundRequest,
  ReceiptParse,
  ReceiptUpdate,
  ReplayGuard,
} from '../core-contract.ts';
import { bodyText, safeEqual } from '../signatures/constant-time.ts';

/** Mailgun event → canonical state; `failed` depends on severity and is handled apart. */
export const MAILGUN_DELIVERY_STATES: Readonly<Record<string, DeliveryState>> = {
  accepted: 'queued',
  delivered: 'delivered',
  opened: 'read',
  clicked: 'read',
  unsubscribed: 'unsubscribed',
  complained: 'complained',
};

/** Returns whether `signature` is hex HMAC-SHA256(signingKey, timestamp + token). */
export const verifyMailgunSignature = (
  signingKey: string,
  timestamp: string,
  token: string,
  signature: string,
): boolean => {
  if (signingKey === '' || timestamp === '' || token === '' || signature === '') return false;
  const expected = createHmac('sha256', signingKey)
    .update(timestamp + token)
    .digest('hex');
  return safeEqual(expected, signature.toLowerCase());
};

interface MailgunWebhook {
  signature?: { timestamp?: unknown; token?: unknown; signature?: unknown };
  'event-data'?: {
    event?: string;
    timestamp?: number;
    recipient?: string;
    severity?: string;
    reason?: string;
    message?: { headers?: { 'message-id'?: string } };
    'delivery-status'?: { code?: number };
  };
}

/**
 * Verifies and parses one Mailgun webhook. Stale timestamps are refused; a reused `token` must be
 * refused by the caller, which keeps what it has seen (`replay`): a pure function cannot.
 */
export const parseMailgunWebhook = (
  request: InboundRequest,
  signingKey: string,
  now: Date,
  maxAgeMs = 15 * 60 * 1000,
): ReceiptParse => {
  let payload: MailgunWebhook;
  try {
    payload = JSON.parse(bodyText(request)) as MailgunWebhook;
  } catch {
    return {
      ok: false,
      error: { code: 'malformed_receipt', message: 'The Mailgun webhook body is not JSON.' },
    };
  }
  const sig = payload.signature;
  const timestamp = typeof sig?.timestamp === 'string' ? sig.timestamp : '';
  const token = typeof sig?.token === 'string' ? sig.token : '';
  const signature = typeof sig?.signature === 'string' ? sig.signature : '';
  if (!verifyMailgunSignature(signingKey, timestamp, token, signature)) {
    return {
      ok: false,
      error: { code: 'bad_signature', message: 'The Mailgun webhook signature does not match.' },
    };
  }
  if (Math.abs(now.getTime() - Number(timestamp) * 1000) > maxAgeMs) {
    return {
      ok: false,
      error: { code: 'stale_request', message: 'The Mailgun webhook is too old.' },
    };
  }
  // The signature covers the timestamp and token only: the token may be taken once.
  const replay: ReplayGuard = {
    key: token,
    body: createHash('sha256').update(request.rawBody).digest('hex'),
    until: new Date(Number(timestamp) * 1000 + maxAgeMs).toISOString(),
  };
  const data = payload['event-data'];
  const id = data?.message?.headers?.['message-id'];
  if (data?.event === undefined || id === undefined) {
    return {
      ok: false,
      error: {
        code: 'malformed_receipt',
        message: 'The Mailgun webhook has no event or message id.',
      },
    };
  }
  let state: DeliveryState | undefined;
  if (data.event === 'failed') {
    // Temporary failures are retried by Mailgun itself: wait for the final event.
    state =
      data.severity === 'permanent' ? (data.reason === 'bounce' ? 'bounced' : 'failed') : undefined;
  } else {
    state = MAILGUN_DELIVERY_STATES[data.event];
  }
  if (state === undefined) return { ok: true, receipts: [], inbound: [], replay };
  const code = data['delivery-status']?.code;
  const receipt: ReceiptUpdate = {
    providerMessageId: id.replace(/^<|>$/g, ''),
    state,
    at: new Date((data.timestamp ?? now.getTime() / 1000) * 1000).toISOString(),
    ...(code === undefined ? {} : { providerCode: String(code) }),
    ...(data.recipient === undefined ? {} : { contact: data.recipient }),
  };
  return { ok: true, receipts: [receipt], inbound: [], replay };
};
