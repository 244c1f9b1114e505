import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runConformance, TEST_NOW } from '../../test/conformance.ts';
import { EMAIL, outbound } from '../../test/messages.ts';
import type { RecordedRequest } from '../../test/recording-fetch.ts';
import type { InboundRequest } from '../core-contract.ts';
import { createMailgunEmail, type MailgunCredentials } from './mailgun-email.ts';
import { verifyMailgunSignature } from './mailgun-webhooks.ts';

const credentials: MailgunCredentials = {
  apiKey: 'key-test',
  domain: 'mg.shop.example',
  region: 'eu',
  from: 'Shop <orders@mg.shop.example>',
  webhookSigningKey: 'mailgun-signing-key',
};
const message = outbound(EMAIL, { to: 'ana@example.com' });

/**
 * No Mailgun OpenAPI file is saved, so requests are held to mailgun.js (`lib/Classes/Messages.ts`,
 * `lib/Types/Messages/Messages.ts` at 2fa8ffff, as summarised in channels.md §5): the endpoint per
 * region, Basic `api:KEY`, form fields from the SDK's message data type.
 */
const KNOWN_FIELDS =
  /^(from|to|cc|bcc|subject|text|html|amp-html|template|t:(variables|version|text)|o:[a-z-]+|h:.+|v:.+|recipient-variables)$/;
const checkMailgun = (request: RecordedRequest): string[] => {
  const problems: string[] = [];
  if (!/^https:\/\/api(\.eu)?\.mailgun\.net\/v3\/[^/]+\/messages$/.test(request.url))
    problems.push('not the messages endpoint');
  if (request.headers.authorization !== `Basic ${Buffer.from('api:key-test').toString('base64')}`)
    problems.push('auth is not Basic api:KEY');
  if (request.headers['content-type'] !== 'application/x-www-form-urlencoded')
    problems.push('not form-encoded');
  const form = new URLSearchParams(request.body ?? '');
  for (const name of form.keys())
    if (!KNOWN_FIELDS.test(name)) problems.push(`unknown field ${name}`);
  for (const name of ['from', 'to']) if (!form.get(name)) problems.push(`missing ${name}`);
  if (!form.get('text') && !form.get('html') && !form.get('template')) problems.push('no content');
  return problems;
};

const signedWebhook = (eventData: object, timestamp: string, key: string): InboundRequest => {
  const token = 'a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0';
  const signature = createHmac('sha256', key)
    .update(timestamp + token)
    .digest('hex');
  return {
    method: 'POST',
    url: 'https://hub.example.com/receipts/mailgun',
    headers: { 'content-type': 'application/json' },
    rawBody: new TextEncoder().encode(
      JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': eventData }),
    ),
  };
};
const now = String(Date.parse(TEST_NOW) / 1000);
// The event shape from Mailgun's webhook docs as transcribed in channels.md §5.
const failedEvent = {
  id: 'G9Bn5sl1TC6nu79C8C0bwg',
  event: 'failed',
  timestamp: 1767268800.1,
  recipient: 'ana@example.com',
  message: { headers: { 'message-id': '20260101120000.1.ABCD@mg.shop.example' } },
  'user-variables': { intent_id: 'intent_01JH5Q8Z3K' },
  severity: 'permanent',
  reason: 'bounce',
  'delivery-status': { code: 550, message: 'No such user', description: '', 'attempt-no': 1 },
};
const valid = signedWebhook(failedEvent, now, 'mailgun-signing-key');
const mgError = (status: number, message: string) => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: { message },
});

runConformance<MailgunCredentials>({
  provider: 'mailgun',
  channel: 'email',
  create: (deps, timeoutMs) => createMailgunEmail({ timeoutMs }, deps),
  credentials,
  message,
  check: checkMailgun,
  success: {
    responses: [
      {
        status: 200,
        body: { id: '<20260101120000.1.ABCD@mg.shop.example>', message: 'Queued. Thank you.' },
      },
    ],
    providerMessageId: '20260101120000.1.ABCD@mg.shop.example',
  },
  classes: ['retryable', 'permanent'],
  errors: [
    {
      title: 'a 429',
      responses: [
        { status: 429, headers: { 'retry-after': '60' }, body: { message: 'rate limited' } },
      ],
      expect: { class: 'retryable', code: 'rate_limited', retryAfterMs: 60_000 },
    },
    {
      title: 'a 502',
      responses: [mgError(502, 'bad gateway')],
      expect: { class: 'retryable', code: 'provider_unavailable' },
    },
    // The 400 text quoted in channels.md §5.
    {
      title: 'a 400 "\'to\' parameter is not a valid address"',
      responses: [
        mgError(400, "'to' parameter is not a valid address. please check documentation"),
      ],
      expect: { class: 'permanent', code: 'invalid_request' },
    },
    {
      title: 'a plain-text 401 Forbidden',
      responses: [{ status: 401, body: 'Forbidden' }],
      expect: { class: 'permanent', code: 'provider_auth' },
    },
    {
      title: 'a 404 domain not found (wrong region)',
      responses: [mgError(404, 'Domain not found: mg.shop.example')],
      expect: { class: 'permanent', code: 'provider_config' },
    },
  ],
  receipts: {
    valid,
    // Mailgun signs the timestamp and token only: the token is to be taken once, until stale.
    replay: {
      key: 'a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0',
      body: createHash('sha256').update(valid.rawBody).digest('hex'),
      until: new Date(Date.parse(TEST_NOW) + 15 * 60 * 1000).toISOString(),
    },
    receipts: [
      {
        providerMessageId: '20260101120000.1.ABCD@mg.shop.example',
        state: 'bounced',
        at: '2026-01-01T12:00:00.100Z',
        providerCode: '550',
        contact: 'ana@example.com',
      },
    ],
    altered: [
      {
        title: 'a signature made with another key',
        request: signedWebhook(failedEvent, now, 'other-key'),
      },
      {
        title: 'a changed timestamp',
        request: {
          ...valid,
          rawBody: new TextEncoder().encode(
            new TextDecoder()
              .decode(valid.rawBody)
              .replace(`"timestamp":"${now}"`, `"timestamp":"${Number(now) + 1}"`),
          ),
        },
      },
      {
        title: 'a timestamp an hour old',
        request: signedWebhook(failedEvent, String(Number(now) - 3600), 'mailgun-signing-key'),
      },
    ],
  },
});

describe('Mailgun', () => {
  it('carries the intent id as a v: variable and uses the EU host for EU domains', async () => {
    const { recordingFetch } = await import('../../test/recording-fetch.ts');
    const recorder = recordingFetch([{ status: 200, body: { id: '<x@y>' } }], checkMailgun);
    await createMailgunEmail({}, { fetch: recorder.fetch }).send(message, credentials);
    expect(recorder.requests[0]?.url).toBe(
      'https://api.eu.mailgun.net/v3/mg.shop.example/messages',
    );
    const form = new URLSearchParams(recorder.requests[0]?.body ?? '');
    expect(form.get('v:intent_id')).toBe('intent_01JH5Q8Z3K');
    expect(form.get('html')).toContain('<a href=');
    expect(recorder.problems).toEqual([]);
  });
});

// The vector in mailgun/mailgun-php tests/Api/WebhookTest.php (testVerifyWebhookGood / Bad), verbatim.
describe('Mailgun webhook signature against the mailgun-php test vector', () => {
  const key = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
  const signature = '9cfc5c41582e51246e73c88d34db3af0a3a2692a76fbab81492842f000256d33';
  it('accepts the published signature', () => {
    expect(
      verifyMailgunSignature(
        key,
        '1403645220',
        '5egbgr1vjgqxtrnp65xfznchgdccwh5d6i09vijqi3whgowmn6',
        signature,
      ),
    ).toBe(true);
  });
  it('rejects it for another token, timestamp or key, and an empty request', () => {
    expect(
      verifyMailgunSignature(
        key,
        '1403645220',
        'owyldpe6nxhmrn78epljl6bj0orrki1u3d2v5e6cnlmmuox8jr',
        signature,
      ),
    ).toBe(false);
    expect(
      verifyMailgunSignature(
        key,
        '1403645221',
        '5egbgr1vjgqxtrnp65xfznchgdccwh5d6i09vijqi3whgowmn6',
        signature,
      ),
    ).toBe(false);
    expect(
      verifyMailgunSignature(
        'key-other',
        '1403645220',
        '5egbgr1vjgqxtrnp65xfznchgdccwh5d6i09vijqi3whgowmn6',
        signature,
      ),
    ).toBe(false);
    expect(verifyMailgunSignature(key, '0', '', '')).toBe(false);
  });
});
