import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../test/conformance.ts';
import { outbound } from '../../test/messages.ts';
import { recordingFetch } from '../../test/recording-fetch.ts';
import { loadSpec, type SpecPatch } from '../../test/spec-validator.ts';
import type { InboundRequest, Rendering } from '../core-contract.ts';
import { createWhatsappCloud, type WhatsappCredentials } from './whatsapp-cloud.ts';
import { verifyHubSignature, whatsappVerifyChallenge } from './whatsapp-webhooks.ts';

type Schema = {
  allOf?: Array<{ $ref?: string; additionalProperties?: unknown; properties?: object }>;
  properties?: object;
};

/**
 * The v23.0 spec writes `TextMessage` (and its siblings) as allOf[BaseMessageProperties, {…,
 * additionalProperties: false}]. allOf does not merge properties, so that closed member rejects
 * `messaging_product`, `to`… and no request can ever match. We close it over the base's
 * properties instead, which is what the authors meant, so unknown fields are still refused.
 */
const closeMembersOverBase: SpecPatch = {
  why: 'allOf + additionalProperties:false in message members is unsatisfiable',
  apply: (doc) => {
    const schemas = (doc.components as { schemas: Record<string, Schema> }).schemas;
    const base = schemas.BaseMessageProperties?.properties ?? {};
    for (const schema of Object.values(schemas)) {
      const [first, second] = schema.allOf ?? [];
      if (
        first?.$ref === '#/components/schemas/BaseMessageProperties' &&
        second?.additionalProperties === false
      ) {
        second.properties = { ...structuredClone(base), ...second.properties };
      }
    }
  },
};

const spec = await loadSpec('whatsapp/business-messaging-api_v23.0.yaml', [closeMembersOverBase]);
const check = (request: Parameters<typeof spec.validate>[1]) =>
  spec.validate('sendMessage', request);

const credentials: WhatsappCredentials = {
  phoneNumberId: '106540352242922',
  accessToken: 'EAAGtestToken',
  appSecret: 'meta-app-secret',
};
const rendering: Rendering = {
  channel: 'whatsapp',
  templateName: 'order_shipped',
  language: 'en_US',
  headerParameters: [],
  bodyParameters: ['1001', 'https://ex.co/t/1001'],
  text: 'Order 1001 has shipped. Track: https://ex.co/t/1001',
};
const message = outbound(rendering, { to: '+15558675310' });

const metaError = (status: number, code: number, extra: object = {}) => ({
  status,
  headers: { 'content-type': 'application/json' },
  // GraphAPIError as shown in channels.md §2.
  body: {
    error: {
      message: `(#${code}) error`,
      type: 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details: 'detail' },
      fbtrace_id: 'AbCdEf',
      ...extra,
    },
  },
});

const signed = (payload: object, secret: string): InboundRequest => {
  const raw = JSON.stringify(payload);
  return {
    method: 'POST',
    url: 'https://hub.example.com/receipts/whatsapp',
    headers: {
      'content-type': 'application/json',
      'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`,
    },
    rawBody: new TextEncoder().encode(raw),
  };
};

// The status notification shape from Meta's webhook docs as transcribed in channels.md §2.
const statusWebhook = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
            statuses: [
              {
                id: 'wamid.HBgLMTU1NTg2NzUzMTAVAgARGBI1',
                status: 'failed',
                timestamp: '1750857384',
                recipient_id: '15558675310',
                errors: [
                  {
                    code: 131026,
                    title: 'Message undeliverable',
                    message: 'Message undeliverable',
                    error_data: { details: 'x' },
                  },
                ],
              },
            ],
            messages: [
              {
                from: '15558675310',
                id: 'wamid.IN1',
                timestamp: '1750857400',
                type: 'text',
                text: { body: 'STOP' },
              },
            ],
          },
        },
      ],
    },
  ],
};
const valid = signed(statusWebhook, credentials.appSecret);

runConformance<WhatsappCredentials>({
  provider: 'whatsapp-cloud',
  channel: 'whatsapp',
  create: (deps, timeoutMs) => createWhatsappCloud({ timeoutMs }, deps),
  credentials,
  message,
  check,
  success: {
    responses: [
      {
        status: 200,
        body: {
          messaging_product: 'whatsapp',
          contacts: [{ input: '15558675310', wa_id: '15558675310' }],
          messages: [{ id: 'wamid.HBgLMTU1NTg2NzUzMTAVAgARGBI1', message_status: 'accepted' }],
        },
      },
    ],
    providerMessageId: 'wamid.HBgLMTU1NTg2NzUzMTAVAgARGBI1',
  },
  classes: ['retryable', 'permanent', 'consent', 'window'],
  errors: [
    {
      title: '130429 throughput reached',
      responses: [metaError(400, 130429)],
      expect: { class: 'retryable', code: 'rate_limited', providerCode: '130429' },
    },
    {
      title: 'an unknown error marked is_transient',
      responses: [metaError(400, 999999, { is_transient: true })],
      expect: { class: 'retryable', code: 'provider_unavailable' },
    },
    {
      title: '131049 marketing frequency cap (not an opt-out)',
      responses: [metaError(400, 131049)],
      expect: { class: 'retryable', code: 'rate_limited', retryAfterMs: 86_400_000 },
    },
    {
      title: '132001 template missing in that language',
      responses: [metaError(400, 132001)],
      expect: { class: 'permanent', code: 'template_rejected' },
    },
    {
      title: '131026 undeliverable',
      responses: [metaError(400, 131026)],
      expect: { class: 'permanent', code: 'recipient_unreachable' },
    },
    {
      title: '190 expired token',
      responses: [metaError(401, 190)],
      expect: { class: 'permanent', code: 'provider_auth' },
    },
    {
      title: '131050 marketing messages turned off',
      responses: [metaError(400, 131050)],
      expect: { class: 'consent', code: 'recipient_opted_out', providerCode: '131050' },
    },
    {
      title: '131047 re-engagement window closed',
      responses: [metaError(400, 131047)],
      expect: { class: 'window', code: 'window_closed', providerCode: '131047' },
    },
  ],
  receipts: {
    valid,
    receipts: [
      {
        providerMessageId: 'wamid.HBgLMTU1NTg2NzUzMTAVAgARGBI1',
        state: 'failed',
        at: '2025-06-25T13:16:24.000Z',
        providerCode: '131026',
        contact: '+15558675310',
      },
    ],
    inbound: [
      {
        from: '+15558675310',
        to: '+15550783881',
        text: 'STOP',
        at: '2025-06-25T13:16:40.000Z',
        providerMessageId: 'wamid.IN1',
      },
    ],
    altered: [
      {
        title: 'a changed body',
        request: {
          ...valid,
          rawBody: new TextEncoder().encode(
            new TextDecoder().decode(valid.rawBody).replace('failed', 'read'),
          ),
        },
      },
      { title: 'the wrong app secret', request: signed(statusWebhook, 'another-secret') },
      { title: 'no signature header', request: { ...valid, headers: {} } },
    ],
  },
});

describe('WhatsApp Cloud', () => {
  const success = {
    status: 200,
    body: { messaging_product: 'whatsapp', contacts: [], messages: [{ id: 'wamid.X' }] },
  };

  it('sends the approved template with its parameters when the window is closed or unknown', async () => {
    const recorder = recordingFetch([success], check);
    await createWhatsappCloud({}, { fetch: recorder.fetch }).send(message, credentials);
    expect(recorder.problems).toEqual([]);
    expect(JSON.parse(recorder.requests[0]?.body ?? '{}')).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '15558675310',
      type: 'template',
      template: {
        name: 'order_shipped',
        language: { code: 'en_US', policy: 'deterministic' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: '1001' },
              { type: 'text', text: 'https://ex.co/t/1001' },
            ],
          },
        ],
      },
    });
  });

  it('sends header parameters as a header component', async () => {
    const recorder = recordingFetch([success], check);
    await createWhatsappCloud({}, { fetch: recorder.fetch }).send(
      outbound({ ...rendering, headerParameters: ['1001'] }, { to: '+15558675310' }),
      credentials,
    );
    expect(recorder.problems).toEqual([]);
    expect(JSON.parse(recorder.requests[0]?.body ?? '{}').template.components[0]).toEqual({
      type: 'header',
      parameters: [{ type: 'text', text: '1001' }],
    });
  });

  it('sends free text only when the caller says the 24-hour window is open', async () => {
    const recorder = recordingFetch([success], check);
    await createWhatsappCloud({}, { fetch: recorder.fetch }).send(message, credentials, {
      whatsappWindowOpen: true,
    });
    expect(recorder.problems).toEqual([]);
    expect(JSON.parse(recorder.requests[0]?.body ?? '{}')).toMatchObject({
      type: 'text',
      text: { body: rendering.text, preview_url: false },
    });
  });

  it('answers the subscription handshake only with the right verify token', () => {
    const url =
      'https://hub.example.com/receipts/whatsapp?hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=1158201444';
    expect(whatsappVerifyChallenge(url, 's3cret')).toBe('1158201444');
    expect(whatsappVerifyChallenge(url, 'other')).toBeUndefined();
  });

  // Meta publishes no vector for X-Hub-Signature-256. The construction (sha256= + hex HMAC-SHA256
  // of the raw body) is the one GitHub documents, with this vector, in "Validating webhook
  // deliveries" (docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries).
  it('accepts the published X-Hub-Signature-256 vector and rejects altered ones', () => {
    const secret = "It's a Secret to Everybody";
    const body = new TextEncoder().encode('Hello, World!');
    const header = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(verifyHubSignature(secret, body, header)).toBe(true);
    expect(verifyHubSignature(secret, new TextEncoder().encode('Hello, World?'), header)).toBe(
      false,
    );
    expect(verifyHubSignature('another', body, header)).toBe(false);
    expect(verifyHubSignature(secret, body, header.replace('sha256=', 'sha1='))).toBe(false);
  });
});
