/**
 * @module WhatsApp webhooks: `X-Hub-Signature-256` (hex HMAC-SHA256 of the raw body, keyed with
 * the App Secret), status notifications mapped to canonical states, and inbound messages.
 */
import { createHmac } from 'node:crypto';
import type {
  DeliveryState,
  InboundMessage,
  InboundRequest,
  ReceiptParse,
  ReceiptUpdate,
} from '../core-contract.ts';
import { bodyText, headerOf, safeEqual } from '../signatures/constant-time.ts';

/** Meta status → canonical state (`read` may arrive without `delivered` before it). */
export const WHATSAPP_DELIVERY_STATES: Readonly<Record<string, DeliveryState>> = {
  accepted: 'queued',
  held_for_quality_assessment: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
};

/** Returns whether `X-Hub-Signature-256: sha256=<hex>` is the HMAC of `rawBody` under `appSecret`. */
export const verifyHubSignature = (
  appSecret: string,
  rawBody: Uint8Array,
  header: string | undefined,
): boolean => {
  if (header === undefined || !header.startsWith('sha256=') || appSecret === '') return false;
  const expected = `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
  return safeEqual(expected, header.toLowerCase());
};

/** Answers Meta's subscription handshake: the `hub.challenge` to echo, or `undefined` to refuse. */
export const whatsappVerifyChallenge = (url: string, verifyToken: string): string | undefined => {
  const params = new URL(url).searchParams;
  const token = params.get('hub.verify_token') ?? '';
  if (
    params.get('hub.mode') !== 'subscribe' ||
    verifyToken === '' ||
    !safeEqual(token, verifyToken)
  )
    return undefined;
  return params.get('hub.challenge') ?? undefined;
};

interface StatusPayload {
  id?: string;
  status?: string;
  timestamp?: string;
  recipient_id?: string;
  errors?: Array<{ code?: number }>;
}

interface MessagePayload {
  from?: string;
  id?: string;
  timestamp?: string;
  type?: string;
  text?: { body?: string };
  button?: { text?: string };
  interactive?: { button_reply?: { title?: string }; list_reply?: { title?: string } };
}

interface WebhookPayload {
  object?: string;
  entry?: Array<{
    changes?: Array<{
      field?: string;
      value?: {
        metadata?: { display_phone_number?: string; phone_number_id?: string };
        statuses?: StatusPayload[];
        messages?: MessagePayload[];
      };
    }>;
  }>;
}

const isoFromUnix = (seconds: string | undefined, fallback: Date): string =>
  seconds !== undefined && /^\d+$/.test(seconds)
    ? new Date(Number(seconds) * 1000).toISOString()
    : fallback.toISOString();

const inboundText = (m: MessagePayload): string =>
  m.text?.body ??
  m.button?.text ??
  m.interactive?.button_reply?.title ??
  m.interactive?.list_reply?.title ??
  '';

/** Verifies and parses a WhatsApp webhook: statuses become receipts, messages become inbound (which opens the window). */
export const parseWhatsappWebhook = (
  request: InboundRequest,
  appSecret: string,
  now: Date,
): ReceiptParse => {
  if (!verifyHubSignature(appSecret, request.rawBody, headerOf(request, 'x-hub-signature-256'))) {
    return {
      ok: false,
      error: { code: 'bad_signature', message: 'The WhatsApp webhook signature does not match.' },
    };
  }
  let payload: WebhookPayload;
  try {
    payload = JSON.parse(bodyText(request)) as WebhookPayload;
  } catch {
    return {
      ok: false,
      error: { code: 'malformed_receipt', message: 'The WhatsApp webhook body is not JSON.' },
    };
  }
  if (payload.object !== 'whatsapp_business_account') {
    return {
      ok: false,
      error: {
        code: 'malformed_receipt',
        message: 'The webhook is not for a WhatsApp Business account.',
      },
    };
  }
  const receipts: ReceiptUpdate[] = [];
  const inbound: InboundMessage[] = [];
  for (const entry of payload.entry ?? []) {
    for (const change of entry.changes ?? []) {
      const value = change.value;
      if (change.field !== 'messages' || value === undefined) continue;
      for (const s of value.statuses ?? []) {
        const state = s.status === undefined ? undefined : WHATSAPP_DELIVERY_STATES[s.status];
        if (s.id === undefined || state === undefined) continue;
        const code = s.errors?.[0]?.code;
        receipts.push({
          providerMessageId: s.id,
          state,
          at: isoFromUnix(s.timestamp, now),
          ...(code === undefined ? {} : { providerCode: String(code) }),
          ...(s.recipient_id === undefined ? {} : { contact: `+${s.recipient_id}` }),
        });
      }
      for (const m of value.messages ?? []) {
        if (m.id === undefined || m.from === undefined) continue;
        const to = value.metadata?.display_phone_number;
        inbound.push({
          from: `+${m.from}`,
          to: to === undefined ? '' : `+${to.replace(/\D/g, '')}`,
          text: inboundText(m),
          at: isoFromUnix(m.timestamp, now),
          providerMessageId: m.id,
        });
      }
    }
  }
  return { ok: true, receipts, inbound };
};
