import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runConformance, TEST_NOW } from '../../test/conformance.ts';
import { outbound, SMS } from '../../test/messages.ts';
import { loadSpec } from '../../test/spec-validator.ts';
import type { InboundRequest } from '../core-contract.ts';
import { verifyTwilioSignature } from './twilio-signature.ts';
import { createTwilioSms, type TwilioCredentials } from './twilio-sms.ts';

const spec = await loadSpec('twilio/twilio_api_v2010.json');

const credentials: TwilioCredentials = {
  accountSid: 'AC0123456789abcdef0123456789abcdef',
  authToken: 'twilio-auth-token',
  messagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
};
const message = outbound(SMS, {
  to: '+15558675310',
  statusCallbackUrl: 'https://hub.example.com/receipts/twilio',
});

const twilioError = (status: number, code: number, extra: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...extra },
  // The error shape documented in channels.md §1 (code, message, more_info, status).
  body: {
    code,
    message: `error ${code}`,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  },
});

/** Signs a form callback the way Twilio does, computed independently of the adapter's helper. */
const signedCallback = (
  url: string,
  fields: Array<[string, string]>,
  token: string,
): InboundRequest => {
  const sorted = [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = url + sorted.map(([k, v]) => k + v).join('');
  return {
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': createHmac('sha1', token).update(data).digest('base64'),
    },
    rawBody: new TextEncoder().encode(new URLSearchParams(fields).toString()),
  };
};

const CALLBACK_URL = 'https://hub.example.com/receipts/twilio';
// Parameters as listed in Twilio's "Track the Message Status of Outbound Messages" (channels.md §1).
const deliveredFields: Array<[string, string]> = [
  ['MessageSid', 'SM0123456789abcdef0123456789abcdef'],
  ['SmsSid', 'SM0123456789abcdef0123456789abcdef'],
  ['MessageStatus', 'undelivered'],
  ['SmsStatus', 'undelivered'],
  ['AccountSid', credentials.accountSid],
  ['From', '+15017122661'],
  ['To', '+15558675310'],
  ['ApiVersion', '2010-04-01'],
  ['ErrorCode', '30006'],
];
const valid = signedCallback(CALLBACK_URL, deliveredFields, credentials.authToken);

runConformance<TwilioCredentials>({
  provider: 'twilio',
  channel: 'sms',
  create: (deps, timeoutMs) => createTwilioSms({ timeoutMs }, deps),
  credentials,
  message,
  check: (request) => spec.validate('CreateMessage', request),
  success: {
    responses: [
      {
        status: 201,
        headers: { 'content-type': 'application/json' },
        body: {
          sid: 'SM0123456789abcdef0123456789abcdef',
          status: 'accepted',
          num_segments: '0',
          error_code: null,
        },
      },
    ],
    providerMessageId: 'SM0123456789abcdef0123456789abcdef',
  },
  classes: ['retryable', 'permanent', 'consent'],
  errors: [
    {
      title: 'HTTP 429 / 20429 with Retry-After',
      responses: [twilioError(429, 20429, { 'retry-after': '7' })],
      expect: {
        class: 'retryable',
        code: 'rate_limited',
        retryAfterMs: 7000,
        providerCode: '20429',
      },
    },
    {
      title: 'a 503 with no Twilio code',
      responses: [{ status: 503, body: 'upstream unavailable' }],
      expect: { class: 'retryable', code: 'provider_unavailable' },
    },
    {
      title: '21211 invalid To',
      responses: [twilioError(400, 21211)],
      expect: { class: 'permanent', code: 'invalid_recipient', providerCode: '21211' },
    },
    {
      title: '21614 not a mobile number',
      responses: [twilioError(400, 21614)],
      expect: { class: 'permanent', code: 'invalid_recipient', providerCode: '21614' },
    },
    {
      title: '20003 authentication failure',
      responses: [twilioError(401, 20003)],
      expect: { class: 'permanent', code: 'provider_auth' },
    },
    {
      title: '21610 recipient replied STOP',
      responses: [twilioError(400, 21610)],
      expect: { class: 'consent', code: 'recipient_opted_out', providerCode: '21610' },
    },
  ],
  receipts: {
    valid,
    receipts: [
      {
        providerMessageId: 'SM0123456789abcdef0123456789abcdef',
        state: 'undelivered',
        at: TEST_NOW,
        providerCode: '30006',
        contact: '+15558675310',
      },
    ],
    altered: [
      {
        title: 'a changed status',
        request: {
          ...valid,
          rawBody: new TextEncoder().encode(
            new TextDecoder().decode(valid.rawBody).replace('undelivered', 'delivered'),
          ),
        },
      },
      { title: 'a different URL', request: { ...valid, url: `${CALLBACK_URL}?x=1` } },
      {
        title: 'no signature header',
        request: { ...valid, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      },
    ],
  },
});

describe('Twilio SMS', () => {
  it('parses an inbound SMS reply as an inbound message', () => {
    const channel = createTwilioSms({}, {});
    const inbound = signedCallback(
      'https://hub.example.com/inbound/twilio',
      [
        ['MessageSid', 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
        ['SmsStatus', 'received'],
        ['From', '+15558675310'],
        ['To', '+15017122661'],
        ['Body', 'STOP'],
        ['AccountSid', credentials.accountSid],
      ],
      credentials.authToken,
    );
    const parsed = channel.parseReceipt(inbound, credentials);
    expect(parsed).toMatchObject({
      ok: true,
      receipts: [],
      inbound: [
        {
          from: '+15558675310',
          to: '+15017122661',
          text: 'STOP',
          providerMessageId: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        },
      ],
    });
  });

  it('refuses to call Twilio without a recipient', async () => {
    const channel = createTwilioSms(
      {},
      { fetch: () => Promise.reject(new Error('must not be called')) },
    );
    const result = await channel.send({ ...message, to: '' }, credentials);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_recipient', class: 'permanent' },
    });
  });
});

// Published vectors from twilio-node spec/validation.spec.js (commit 005ea9cd), constants copied verbatim.
describe('X-Twilio-Signature against twilio-node test vectors', () => {
  const token = '12345';
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params: Array<[string, string]> = [
    ['CallSid', 'CA1234567890ABCDE'],
    ['Caller', '+14158675309'],
    ['Digits', '1234'],
    ['From', '+14158675309'],
    ['To', '+18005551212'],
  ];
  const cases: Array<[string, string, Array<[string, string]>, string]> = [
    ['the default request', url, params, 'RSOYDt4T1cUTdK1PDd93/VVr8B8='],
    ['an https URL signed with :443 added', url, params, 'kvajT1Ptam85bY51eRf/AJRuM3w='],
    [
      'an http URL signed with :80 added',
      url.replace('https', 'http'),
      params,
      '0ZXoZLH/DfblKGATFgpif+LLRf4=',
    ],
    [
      'an https URL with a port stripped',
      url.replace('.com', '.com:1234'),
      params,
      'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
    ],
    [
      'a URL with credentials',
      'https://user:pass@mycompany.com/myapp.php?foo=1&bar=2',
      params,
      'CukzLTc1tT5dXEDIHm/tKBanW10=',
    ],
    [
      'special characters in the query',
      `${url}&Body=It's+amazing`,
      params,
      'dsq4Ehbj6cs+KdTkpF5sSSplOWw=',
    ],
    [
      'an array parameter',
      url,
      [
        ['MessagingBinding.Address', '+1325xxxxxxx'],
        ['MessagingBinding.Address', '+1415xxxxxxx'],
      ],
      '83O6e2vORAoJHUNzJjDWN1jz+BA=',
    ],
    [
      'repeated values in any order',
      url,
      [
        ['Sid', 'CA123'],
        ['SidAccount', 'AC123'],
        ['Digits', '5678'],
        ['Digits', '1234'],
        ['Digits', '1234'],
      ],
      'IK+Dwps556ElfBT0I3Rgjkr1wJU=',
    ],
  ];
  for (const [title, u, p, signature] of cases) {
    it(`accepts ${title}`, () => {
      expect(verifyTwilioSignature({ authToken: token, url: u, params: p, signature })).toBe(true);
    });
  }

  it('accepts the bodySHA256 variant for JSON bodies', () => {
    const body = '{"property": "value", "boolean": true}';
    const hashed = `${url}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620`;
    expect(
      verifyTwilioSignature({
        authToken: token,
        url: hashed,
        params: [],
        signature: 'a9nBmqA0ju/hNViExpshrM61xv4=',
        rawBody: body,
      }),
    ).toBe(true);
    expect(
      verifyTwilioSignature({
        authToken: token,
        url: hashed,
        params: [],
        signature: 'a9nBmqA0ju/hNViExpshrM61xv4=',
        rawBody: `${body} `,
      }),
    ).toBe(false);
  });

  it('rejects a wrong signature, a changed value, a changed URL and a different token', () => {
    expect(
      verifyTwilioSignature({ authToken: token, url, params, signature: 'WRONG_SIGNATURE' }),
    ).toBe(false);
    const changed: Array<[string, string]> = params.map(([k, v]) => [
      k,
      k === 'Digits' ? '1235' : v,
    ]);
    expect(
      verifyTwilioSignature({
        authToken: token,
        url,
        params: changed,
        signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
      }),
    ).toBe(false);
    expect(
      verifyTwilioSignature({
        authToken: token,
        url: `${url}&somethingUnexpected=true`,
        params,
        signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
      }),
    ).toBe(false);
    expect(
      verifyTwilioSignature({
        authToken: '54321',
        url,
        params,
        signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
      }),
    ).toBe(false);
    expect(verifyTwilioSignature({ authToken: token, url, params, signature: undefined })).toBe(
      false,
    );
  });
});
