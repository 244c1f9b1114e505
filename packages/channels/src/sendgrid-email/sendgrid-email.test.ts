import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runConformance, TEST_NOW } from '../../test/conformance.ts';
import { EMAIL, outbound } from '../../test/messages.ts';
import { loadSpec } from '../../test/spec-validator.ts';
import type { InboundRequest } from '../core-contract.ts';
import { createSendgridEmail, type SendgridCredentials } from './sendgrid-email.ts';
import { verifySendgridSignature } from './sendgrid-event-webhook.ts';

const spec = await loadSpec('sendgrid/tsg_mail_v3.json');

// A key pair made for the test stands in for the account's webhook key.
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const publicKeyBase64 = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

const credentials: SendgridCredentials = {
  apiKey: 'SG.test-key',
  from: { email: 'orders@shop.example', name: 'Shop' },
  asmGroupId: 12345,
  eventWebhookPublicKey: publicKeyBase64,
};
const message = outbound(EMAIL, { to: 'ana@example.com' });

const signedEvents = (events: object[], timestamp: string): InboundRequest => {
  const raw = `${JSON.stringify(events)}\r\n`;
  const signature = sign('sha256', Buffer.from(timestamp + raw), privateKey).toString('base64');
  return {
    method: 'POST',
    url: 'https://hub.example.com/receipts/sendgrid',
    headers: {
      'content-type': 'application/json',
      'X-Twilio-Email-Event-Webhook-Signature': signature,
      'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
    },
    rawBody: new TextEncoder().encode(raw),
  };
};

const now = String(Date.parse(TEST_NOW) / 1000);
// Event fields as listed in SendGrid's Event Webhook reference (channels.md §4); custom_args flattened.
const events = [
  {
    email: 'ana@example.com',
    timestamp: 1767268800,
    event: 'delivered',
    sg_event_id: 'ZGVsaXZlcmVk',
    sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
    'smtp-id': '<14c5d75ce93.dfd.64b469@ismtpd-555>',
    response: '250 OK',
    intent_id: 'intent_01JH5Q8Z3K',
  },
  {
    email: 'ana@example.com',
    timestamp: 1767268801,
    event: 'bounce',
    type: 'bounce',
    reason: '550 5.1.1 unknown user',
    sg_event_id: 'Ym91bmNl',
    sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
  },
  {
    email: 'ana@example.com',
    timestamp: 1767268802,
    event: 'group_unsubscribe',
    asm_group_id: 12345,
    sg_event_id: 'dW5zdWI=',
    sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
  },
];
const valid = signedEvents(events, now);

const sgError = (status: number, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  // ErrorResponse shape from tsg_mail_v3.json (#/components/schemas/ErrorResponse).
  body: {
    errors: [
      {
        message: 'The to email does not contain a valid address.',
        field: 'personalizations.0.to.0.email',
        help: null,
      },
    ],
    id: 'abc',
  },
});

runConformance<SendgridCredentials>({
  provider: 'sendgrid',
  channel: 'email',
  create: (deps, timeoutMs) => createSendgridEmail({ timeoutMs }, deps),
  credentials,
  message,
  check: (request) => spec.validate('SendMail', request),
  success: {
    responses: [{ status: 202, headers: { 'x-message-id': '14c5d75ce93.dfd.64b469' } }],
    providerMessageId: '14c5d75ce93.dfd.64b469',
  },
  classes: ['retryable', 'permanent'],
  errors: [
    {
      title: 'a 429 with X-RateLimit-Reset',
      responses: [sgError(429, { 'x-ratelimit-reset': String(Date.parse(TEST_NOW) / 1000 + 30) })],
      expect: { class: 'retryable', code: 'rate_limited', retryAfterMs: 30_000 },
    },
    {
      title: 'a 500',
      responses: [sgError(500)],
      expect: { class: 'retryable', code: 'provider_unavailable' },
    },
    {
      title: 'a 400 validation error',
      responses: [sgError(400)],
      expect: { class: 'permanent', code: 'invalid_request' },
    },
    {
      title: 'a 413 payload too large',
      responses: [sgError(413)],
      expect: { class: 'permanent', code: 'content_rejected' },
    },
    {
      title: 'a 403 unverified sender',
      responses: [sgError(403)],
      expect: { class: 'permanent', code: 'provider_auth' },
    },
  ],
  receipts: {
    valid,
    receipts: [
      {
        providerMessageId: '14c5d75ce93',
        state: 'delivered',
        at: '2026-01-01T12:00:00.000Z',
        providerCode: 'delivered',
        contact: 'ana@example.com',
      },
      {
        providerMessageId: '14c5d75ce93',
        state: 'bounced',
        at: '2026-01-01T12:00:01.000Z',
        providerCode: 'bounce',
        contact: 'ana@example.com',
      },
      {
        providerMessageId: '14c5d75ce93',
        state: 'unsubscribed',
        at: '2026-01-01T12:00:02.000Z',
        providerCode: 'group_unsubscribe',
        contact: 'ana@example.com',
      },
    ],
    altered: [
      {
        title: 'a changed body',
        request: {
          ...valid,
          rawBody: new TextEncoder().encode(
            new TextDecoder().decode(valid.rawBody).replace('bounce', 'open'),
          ),
        },
      },
      {
        title: 'a changed timestamp',
        request: {
          ...valid,
          headers: {
            ...valid.headers,
            'X-Twilio-Email-Event-Webhook-Timestamp': String(Number(now) + 1),
          },
        },
      },
      {
        title: 'a signature older than ten minutes',
        request: signedEvents(events, String(Number(now) - 3600)),
      },
    ],
  },
});

describe('SendGrid', () => {
  it('puts the intent id in custom_args and sends text before HTML', async () => {
    const { sendgridMailBody } = await import('./sendgrid-email.ts');
    expect(sendgridMailBody(message, credentials, 'ana@example.com')).toMatchObject({
      personalizations: [
        {
          to: [{ email: 'ana@example.com' }],
          custom_args: { intent_id: 'intent_01JH5Q8Z3K', tenant_id: 'shop-42' },
        },
      ],
      content: [{ type: 'text/plain' }, { type: 'text/html' }],
      asm: { group_id: 12345 },
    });
  });
});

// Published vector from sendgrid/sendgrid-nodejs packages/eventwebhook/src/eventwebhook.spec.js
// (commit 31bf6a02), constants copied verbatim.
describe('SendGrid Event Webhook signature against the sendgrid-nodejs test vector', () => {
  const PUBLIC_KEY =
    'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==';
  const SIGNATURE =
    'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=';
  const TIMESTAMP = '1588788367';
  const PAYLOAD = JSON.stringify({
    category: 'example_payload',
    event: 'test_event',
    message_id: 'message_id',
  });

  it('verifies a valid signature', () => {
    expect(verifySendgridSignature(PUBLIC_KEY, PAYLOAD, SIGNATURE, TIMESTAMP)).toBe(true);
  });
  it('rejects another key, payload, signature or timestamp', () => {
    const otherKey =
      'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==';
    expect(verifySendgridSignature(otherKey, PAYLOAD, SIGNATURE, TIMESTAMP)).toBe(false);
    expect(verifySendgridSignature(PUBLIC_KEY, 'payload', SIGNATURE, TIMESTAMP)).toBe(false);
    const badSignature =
      'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH3j/0=';
    expect(verifySendgridSignature(PUBLIC_KEY, PAYLOAD, badSignature, TIMESTAMP)).toBe(false);
    expect(verifySendgridSignature(PUBLIC_KEY, PAYLOAD, SIGNATURE, 'timestamp')).toBe(false);
  });
});
