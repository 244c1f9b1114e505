import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runConformance, TEST_NOW } from '../../test/conformance.ts';
import { outbound, SMS } from '../../test/messages.ts';
import type { RecordedRequest } from '../../test/recording-fetch.ts';
import type { InboundRequest } from '../core-contract.ts';
import { verifyMessagebirdJwt } from './messagebird-signature.ts';
import { createMessagebirdSms, type MessagebirdCredentials } from './messagebird-sms.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../test/fixtures/messagebird/${name}`, import.meta.url), 'utf8');

const credentials: MessagebirdCredentials = {
  accessKey: 'test_gshuPaZoeEG6ovbc8M79w0QyM',
  originator: 'Tidings',
  signingKey: 'mb-signing-key',
};
const message = outbound(SMS, {
  to: '+31612345678',
  statusCallbackUrl: 'https://hub.example.com/receipts/messagebird',
});

/**
 * No MessageBird OpenAPI file is saved, so requests are held to the official SDKs: the endpoint
 * and `AccessKey` auth of go-rest-api `client.go`, the fields of messagebird-nodejs
 * `types/messages.d.ts` (2d8b7de1), as summarised in channels.md §3.
 */
const FIELDS = new Set([
  'originator',
  'body',
  'recipients',
  'reference',
  'reportUrl',
  'validity',
  'gateway',
  'type',
  'datacoding',
  'mclass',
  'scheduledDatetime',
  'typeDetails',
  'groupIds',
  'shortenUrls',
]);
const checkMessagebird = (request: RecordedRequest): string[] => {
  const problems: string[] = [];
  if (request.url !== 'https://rest.messagebird.com/messages')
    problems.push('not the messages endpoint');
  if (!request.headers.authorization?.startsWith('AccessKey '))
    problems.push('auth is not AccessKey');
  const body = JSON.parse(request.body ?? '{}') as Record<string, unknown>;
  for (const key of Object.keys(body)) if (!FIELDS.has(key)) problems.push(`unknown field ${key}`);
  if (
    typeof body.originator !== 'string' ||
    !/^(\d{1,16}|[A-Za-z0-9 ]{1,11})$/.test(body.originator)
  )
    problems.push('bad originator');
  if (typeof body.body !== 'string' || body.body === '') problems.push('no body');
  if (
    !Array.isArray(body.recipients) ||
    !body.recipients.every((r) => /^\d{6,15}$/.test(String(r)))
  )
    problems.push('recipients must be MSISDN digits');
  if (
    body.datacoding !== undefined &&
    !['plain', 'unicode', 'auto'].includes(String(body.datacoding))
  )
    problems.push('bad datacoding');
  if (typeof body.reference === 'string' && body.reference.length > 128)
    problems.push('reference over 128');
  return problems;
};

/** Signs a GET status report the way MessageBird does (claims per go-rest-api signature_jwt). */
const signedReport = (url: string, key: string, nbf: number): InboundRequest => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const claims = b64({
    iss: 'MessageBird',
    nbf,
    exp: nbf + 60,
    jti: '59a244dc-e9ad-4e23-9778-371faa238f72',
    url_hash: createHash('sha256').update(url).digest('hex'),
  });
  const sig = createHmac('sha256', key).update(`${head}.${claims}`).digest('base64url');
  return {
    method: 'GET',
    url,
    headers: { 'MessageBird-Signature-JWT': `${head}.${claims}.${sig}` },
    rawBody: new Uint8Array(),
  };
};
const reportUrl =
  'https://hub.example.com/receipts/messagebird?id=6fe65f90454aa61536e6a88b88972670&reference=intent_01JH5Q8Z3K&recipient=31612345678&status=delivery_failed&statusDatetime=2026-01-01T11%3A59%3A00%2B00%3A00&statusErrorCode=104';
const nowS = Date.parse(TEST_NOW) / 1000;
const valid = signedReport(reportUrl, 'mb-signing-key', nowS);
const mbError = (status: number, code: number) => ({
  status,
  body: { errors: [{ code, description: 'error', parameter: null }] },
});

runConformance<MessagebirdCredentials>({
  provider: 'messagebird',
  channel: 'sms',
  create: (deps, timeoutMs) => createMessagebirdSms({ timeoutMs }, deps),
  credentials,
  message,
  check: checkMessagebird,
  success: {
    responses: [{ status: 201, body: fixture('messageObject.json') }],
    providerMessageId: '6fe65f90454aa61536e6a88b88972670',
  },
  classes: ['retryable', 'permanent'],
  errors: [
    {
      title: 'a 500 with code 99',
      responses: [mbError(500, 99)],
      expect: { class: 'retryable', code: 'provider_unavailable' },
    },
    {
      title: 'a 503 without a body',
      responses: [{ status: 503 }],
      expect: { class: 'retryable', code: 'provider_unavailable' },
    },
    {
      title: 'a 422 with code 10 (invalid MSISDN)',
      responses: [mbError(422, 10)],
      expect: { class: 'permanent', code: 'invalid_request', providerCode: '10' },
    },
    {
      title: "the SDK's not-found fixture (code 20)",
      responses: [{ status: 404, body: fixture('messageNotFound.json') }],
      expect: { class: 'permanent', code: 'provider_config', providerCode: '20' },
    },
    {
      title: 'a 401 with code 2',
      responses: [mbError(401, 2)],
      expect: { class: 'permanent', code: 'provider_auth' },
    },
  ],
  receipts: {
    valid,
    receipts: [
      {
        providerMessageId: '6fe65f90454aa61536e6a88b88972670',
        state: 'failed',
        at: '2026-01-01T11:59:00.000Z',
        providerCode: '104',
        contact: '+31612345678',
      },
    ],
    altered: [
      {
        title: 'a changed query string',
        request: { ...valid, url: reportUrl.replace('delivery_failed', 'delivered') },
      },
      { title: 'another signing key', request: signedReport(reportUrl, 'other-key', nowS) },
      {
        title: 'an expired token',
        request: signedReport(reportUrl, 'mb-signing-key', nowS - 3600),
      },
    ],
  },
});

interface Vector {
  name: string;
  secret: string;
  url: string;
  payload?: string;
  timestamp: string;
  token: string;
  valid: boolean;
  reason?: string;
}

describe('MessageBird-Signature-JWT against the go-rest-api reference vectors', () => {
  const vectors = JSON.parse(fixture('reference.json')) as Vector[];
  it('has the whole vector file', () => {
    expect(vectors.length).toBeGreaterThan(20);
  });
  for (const v of vectors) {
    it(`${v.valid ? 'accepts' : 'rejects'}: ${v.name}`, () => {
      const verdict = verifyMessagebirdJwt({
        token: v.token,
        signingKey: v.secret,
        url: v.url,
        body: v.payload ?? '',
        now: new Date(v.timestamp),
      });
      expect(verdict.ok).toBe(v.valid);
    });
  }
});
