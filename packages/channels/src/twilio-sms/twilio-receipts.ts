/**
 * @module Twilio's status callbacks and inbound SMS, verified and mapped to canonical delivery
 * states (novu-style: the vendor's vocabulary → ours).
 */
import type {
  DeliveryState,
  InboundMessage,
  InboundRequest,
  ReceiptParse,
  ReceiptUpdate,
} from '../core-contract.ts';
import { decodeForm, firstValues } from '../http/form-encoding.ts';
import { bodyText, headerOf } from '../signatures/constant-time.ts';
import { verifyTwilioSignature } from './twilio-signature.ts';

/** Twilio `MessageStatus` → canonical state; `receiving`/`received` are inbound, not receipts. */
export const TWILIO_DELIVERY_STATES: Readonly<Record<string, DeliveryState>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sent',
  sent: 'sent',
  partially_delivered: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

/** Verifies `X-Twilio-Signature` and parses a status callback or an inbound SMS. */
export const parseTwilioRequest = (
  request: InboundRequest,
  authToken: string,
  now: Date,
): ReceiptParse => {
  const params = decodeForm(request.rawBody);
  const signature = headerOf(request, 'x-twilio-signature');
  if (
    !verifyTwilioSignature({
      authToken,
      url: request.url,
      params,
      signature,
      rawBody: bodyText(request),
    })
  ) {
    return {
      ok: false,
      error: { code: 'bad_signature', message: 'The Twilio signature does not match.' },
    };
  }
  const fields = firstValues(params);
  const sid = fields.get('MessageSid') ?? fields.get('SmsSid');
  const status = fields.get('MessageStatus') ?? fields.get('SmsStatus');
  if (sid === undefined || status === undefined) {
    return {
      ok: false,
      error: {
        code: 'malformed_receipt',
        message: 'The Twilio callback has no MessageSid or status.',
      },
    };
  }
  const at = now.toISOString();
  if (status === 'received' || status === 'receiving') {
    const inbound: InboundMessage = {
      from: fields.get('From') ?? '',
      to: fields.get('To') ?? '',
      text: fields.get('Body') ?? '',
      at,
      providerMessageId: sid,
    };
    return { ok: true, receipts: [], inbound: [inbound] };
  }
  const state = TWILIO_DELIVERY_STATES[status];
  if (state === undefined) {
    return {
      ok: false,
      error: { code: 'malformed_receipt', message: 'The Twilio callback has an unknown status.' },
    };
  }
  const errorCode = fields.get('ErrorCode');
  const to = fields.get('To');
  const receipt: ReceiptUpdate = {
    providerMessageId: sid,
    state,
    at,
    ...(errorCode === undefined || errorCode === '' ? {} : { providerCode: errorCode }),
    ...(to === undefined ? {} : { contact: to }),
  };
  return { ok: true, receipts: [receipt], inbound: [] };
};
