import { describe, expect, it } from 'vitest';
import { runConformance } from '../../test/conformance.ts';
import { EMAIL, outbound } from '../../test/messages.ts';
import { recordingFetch } from '../../test/recording-fetch.ts';
import { loadSpec } from '../../test/spec-validator.ts';
import { createIntercom, type IntercomCredentials } from './intercom.ts';

const spec = await loadSpec('intercom/api.intercom.io.v2.14.yaml');

const eventCredentials: IntercomCredentials = {
  accessToken: 'dG9rOtest',
  mode: { kind: 'data_event' },
};
const messageCredentials: IntercomCredentials = {
  accessToken: 'dG9rOtest',
  region: 'eu',
  mode: { kind: 'admin_message', adminId: '991267816', messageType: 'email' },
};
const message = { ...outbound(EMAIL, { to: 'cust_123' }), channel: 'intercom' as const };
// The error.list shape from the spec (#/components/schemas/error).
const intercomError = (status: number, code: string, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: {
    type: 'error.list',
    request_id: 'req_1',
    errors: [{ code, message: 'something', field: 'user_id' }],
  },
});
const errors = [
  {
    title: 'a 429 until X-RateLimit-Reset',
    responses: [
      intercomError(429, 'rate_limit_exceeded', {
        'x-ratelimit-reset': String(Date.parse('2026-01-01T12:00:10Z') / 1000),
      }),
    ],
    expect: { class: 'retryable' as const, code: 'rate_limited' as const, retryAfterMs: 10_000 },
  },
  {
    title: 'a 502',
    responses: [intercomError(502, 'server_error')],
    expect: { class: 'retryable' as const, code: 'provider_unavailable' as const },
  },
  {
    title: 'a 400 parameter_invalid',
    responses: [intercomError(400, 'parameter_invalid')],
    expect: {
      class: 'permanent' as const,
      code: 'invalid_request' as const,
      providerCode: 'parameter_invalid',
    },
  },
  {
    title: 'a 404 contact not found',
    responses: [intercomError(404, 'not_found')],
    expect: { class: 'permanent' as const, code: 'provider_config' as const },
  },
  {
    title: 'a 403 api_plan_restricted',
    responses: [intercomError(403, 'api_plan_restricted')],
    expect: { class: 'permanent' as const, code: 'provider_auth' as const },
  },
];

runConformance<IntercomCredentials>({
  provider: 'intercom',
  channel: 'intercom',
  create: (deps, timeoutMs) => createIntercom({ timeoutMs }, deps),
  credentials: eventCredentials,
  message,
  options: { occurredAt: '2026-01-01T00:00:00Z' },
  check: (request) => spec.validate('createDataEvent', request),
  success: { responses: [{ status: 202 }], providerMessageId: 'event:intent_01JH5Q8Z3K' },
  classes: ['retryable', 'permanent'],
  errors,
  receipts: { none: 'Intercom has no per-message delivery webhook' },
});

describe('Intercom admin-initiated message', () => {
  runConformance<IntercomCredentials>({
    provider: 'intercom',
    channel: 'intercom',
    create: (deps, timeoutMs) => createIntercom({ timeoutMs }, deps),
    credentials: messageCredentials,
    message,
    check: (request) => spec.validate('createMessage', request),
    // The admin_message response example of the spec's createMessage 200.
    success: {
      responses: [
        {
          status: 200,
          body: { type: 'admin_message', id: '19', created_at: 1767225600, message_type: 'email' },
        },
      ],
      providerMessageId: '19',
    },
    classes: ['retryable', 'permanent'],
    errors,
    receipts: { none: 'Intercom has no per-message delivery webhook' },
  });

  it('derives created_at from the order event so a retried event is dropped as a duplicate', async () => {
    const recorder = recordingFetch([{ status: 202 }], (r) => spec.validate('createDataEvent', r));
    const channel = createIntercom({}, { fetch: recorder.fetch });
    await channel.send({ ...message, status: 'out_for_delivery' }, eventCredentials, {
      occurredAt: '2026-01-01T00:00:00Z',
    });
    expect(recorder.problems).toEqual([]);
    expect(JSON.parse(recorder.requests[0]?.body ?? '{}')).toMatchObject({
      event_name: 'order-out-for-delivery',
      created_at: 1767225600,
      user_id: 'cust_123',
    });
    expect(recorder.requests[0]?.headers['intercom-version']).toBe('2.14');
  });

  it('uses the workspace region host', async () => {
    const recorder = recordingFetch([{ status: 200, body: { type: 'admin_message', id: '19' } }]);
    await createIntercom({}, { fetch: recorder.fetch }).send(message, messageCredentials);
    expect(recorder.requests[0]?.url).toBe('https://api.eu.intercom.io/messages');
  });
});
