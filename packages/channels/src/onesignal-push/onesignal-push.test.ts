import { describe, expect, it } from 'vitest';
import { runConformance } from '../../test/conformance.ts';
import { outbound } from '../../test/messages.ts';
import { type KnownDeviation, loadSpec } from '../../test/spec-validator.ts';
import { uuidV5 } from '../http/uuid-v5.ts';
import {
  createOnesignalPush,
  type OnesignalCredentials,
  onesignalNotificationBody,
} from './onesignal-push.ts';

const spec = await loadSpec('onesignal/openapi.yaml');

/** channels.md §6: the spec models `http bearer`; OneSignal's generated SDKs send `Key <key>`. */
const keyScheme: KnownDeviation = {
  why: 'OneSignal SDKs authenticate with "Key", the spec says bearer',
  rewrite: (r) => ({
    ...r,
    headers: {
      ...r.headers,
      authorization: (r.headers.authorization ?? '').replace(/^Key /, 'Bearer '),
    },
  }),
};

const credentials: OnesignalCredentials = {
  appId: '8250eaf6-1a58-489e-b136-7c74a864b434',
  restApiKey: 'os_v2_app_test',
};
const message = outbound(
  { channel: 'push', title: 'Order 1001 shipped', body: "It's on its way, tap to track." },
  { to: 'cust_123' },
);
const errorBody = (status: number, errors: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: { errors },
});

runConformance<OnesignalCredentials>({
  provider: 'onesignal',
  channel: 'push',
  create: (deps, timeoutMs) => createOnesignalPush({ timeoutMs }, deps),
  credentials,
  message,
  check: (request) => spec.validate('create_notification', request, [keyScheme]),
  success: {
    responses: [
      {
        status: 200,
        body: { id: 'b98881cc-1e94-4366-bbd9-db8f3429292b', external_id: null, errors: [] },
      },
    ],
    providerMessageId: 'b98881cc-1e94-4366-bbd9-db8f3429292b',
  },
  classes: ['retryable', 'permanent', 'consent'],
  errors: [
    // RateLimitError as in the spec (#/components/schemas/RateLimitError).
    {
      title: 'a 429 with Retry-After',
      responses: [errorBody(429, ['API rate limit exceeded.'], { 'retry-after': '100' })],
      expect: { class: 'retryable', code: 'rate_limited', retryAfterMs: 100_000 },
    },
    {
      title: 'a 503',
      responses: [errorBody(503, ['Service unavailable'])],
      expect: { class: 'retryable', code: 'provider_unavailable' },
    },
    {
      title: 'a 400 bad payload',
      responses: [errorBody(400, ['app_id not found'])],
      expect: { class: 'permanent', code: 'invalid_request' },
    },
    {
      title: 'a 200 with an empty id and invalid_aliases',
      responses: [
        {
          status: 200,
          body: { id: '', errors: { invalid_aliases: { external_id: ['cust_123'] } } },
        },
      ],
      expect: { class: 'permanent', code: 'invalid_recipient' },
    },
    {
      title: 'a 200 with an empty id and "not subscribed"',
      responses: [
        { status: 200, body: { id: '', errors: ['All included players are not subscribed'] } },
      ],
      expect: { class: 'consent', code: 'not_subscribed' },
    },
  ],
  receipts: {
    none: 'OneSignal reports through Event Streams with a custom auth header, not a signed callback',
  },
});

describe('OneSignal', () => {
  it('targets the external id alias and derives a stable UUID idempotency key from the intent id', () => {
    const body = onesignalNotificationBody(message, credentials.appId, 'cust_123');
    expect(body).toMatchObject({
      include_aliases: { external_id: ['cust_123'] },
      target_channel: 'push',
      idempotency_key: uuidV5('intent_01JH5Q8Z3K'),
    });
    expect(uuidV5('intent_01JH5Q8Z3K')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('computes RFC 9562 v5 UUIDs (the RFC example: www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});
