import { describe, expect, it } from 'vitest';
import { runConformance } from '../../test/conformance.ts';
import { EMAIL, outbound } from '../../test/messages.ts';
import { recordingFetch } from '../../test/recording-fetch.ts';
import { loadSpec } from '../../test/spec-validator.ts';
import { createKlaviyo, type KlaviyoCredentials, klaviyoMetricName } from './klaviyo.ts';

const spec = await loadSpec('klaviyo/stable.json');
const check = (request: Parameters<typeof spec.validate>[1]) =>
  spec.validate('create_event', request);

const credentials: KlaviyoCredentials = { privateKey: 'pk_test_0123456789' };
const message = { ...outbound(EMAIL, { to: 'ana@example.com' }), channel: 'klaviyo' as const };
// The JSON:API error shape from channels.md §11 (spec: 4XX → ClientError).
const klaviyoError = (status: number, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/vnd.api+json', ...headers },
  body: {
    errors: [
      {
        id: 'e1',
        code: 'invalid',
        title: 'Invalid input.',
        detail: 'bad',
        source: { pointer: '/data/attributes/profile' },
      },
    ],
  },
});

runConformance<KlaviyoCredentials>({
  provider: 'klaviyo',
  channel: 'klaviyo',
  create: (deps, timeoutMs) => createKlaviyo({ timeoutMs }, deps),
  credentials,
  message,
  options: { occurredAt: '2026-01-01T11:59:30.250Z' },
  check,
  success: { responses: [{ status: 202 }], providerMessageId: 'event:intent_01JH5Q8Z3K' },
  classes: ['retryable', 'permanent'],
  errors: [
    {
      title: 'a 429 with Retry-After',
      responses: [klaviyoError(429, { 'retry-after': '2' })],
      expect: { class: 'retryable', code: 'rate_limited', retryAfterMs: 2000 },
    },
    {
      title: 'a 503',
      responses: [klaviyoError(503)],
      expect: { class: 'retryable', code: 'provider_unavailable' },
    },
    {
      title: 'a 400 invalid body',
      responses: [klaviyoError(400)],
      expect: { class: 'permanent', code: 'invalid_request', providerCode: 'invalid' },
    },
    {
      title: 'a 403 key without events:write',
      responses: [klaviyoError(403)],
      expect: { class: 'permanent', code: 'provider_auth' },
    },
  ],
  receipts: {
    none: 'system webhooks need Advanced KDP and their signature construction is unverified',
  },
});

describe('Klaviyo', () => {
  it('names one metric per status and dedupes on the intent id', async () => {
    const recorder = recordingFetch([{ status: 202 }], check);
    await createKlaviyo({}, { fetch: recorder.fetch }).send(
      { ...message, status: 'out_for_delivery', to: '+15558675310' },
      credentials,
      { occurredAt: '2026-01-01T11:59:30.250Z' },
    );
    expect(recorder.problems).toEqual([]);
    const request = recorder.requests[0];
    expect(request?.headers.revision).toBe('2026-07-15');
    expect(JSON.parse(request?.body ?? '{}').data.attributes).toMatchObject({
      metric: { data: { type: 'metric', attributes: { name: 'Order Out For Delivery' } } },
      profile: { data: { type: 'profile', attributes: { phone_number: '+15558675310' } } },
      unique_id: 'intent_01JH5Q8Z3K',
      time: '2026-01-01T11:59:30Z',
    });
  });

  it('lets a tenant rename a metric', () => {
    expect(klaviyoMetricName('dispatched', { dispatched: 'Fulfilled Order' })).toBe(
      'Fulfilled Order',
    );
  });
});
