import { describe, expect, it } from 'vitest';
import { runConformance } from '../../test/conformance.ts';
import { EMAIL, outbound } from '../../test/messages.ts';
import { type RecordedRequest, recordingFetch } from '../../test/recording-fetch.ts';
import { type ActivecampaignCredentials, createActivecampaign } from './activecampaign.ts';

const credentials: ActivecampaignCredentials = {
  apiUrl: 'https://shop.api-us1.com',
  apiToken: 'ac-token',
  fieldIds: { orderNumber: '12', status: '13' },
  eventTracking: { actid: '123456', eventKey: 'event-key' },
};
const message = {
  ...outbound(EMAIL, { to: 'ana@example.com' }),
  channel: 'activecampaign' as const,
};

/**
 * No ActiveCampaign spec is saved: requests are held to the developer docs' "Sync a contact" and
 * "Track event" pages (fields, `Api-Token`, the 32-character event name), as in channels.md §12.
 */
const check = (request: RecordedRequest): string[] => {
  const problems: string[] = [];
  if (request.url === 'https://trackcmp.net/event') {
    const form = new URLSearchParams(request.body ?? '');
    for (const k of ['actid', 'key', 'event', 'visit'])
      if (!form.get(k)) problems.push(`event: missing ${k}`);
    if ((form.get('event') ?? '').length > 32) problems.push('event name over 32 characters');
    if (request.headers['api-token'] !== undefined)
      problems.push('event tracking takes no Api-Token');
    return problems;
  }
  if (request.url !== 'https://shop.api-us1.com/api/3/contact/sync')
    problems.push(`unexpected URL ${request.url}`);
  if (request.headers['api-token'] !== 'ac-token') problems.push('missing Api-Token');
  const body = JSON.parse(request.body ?? '{}') as {
    contact?: { email?: unknown; fieldValues?: Array<{ field?: unknown; value?: unknown }> };
  };
  if (typeof body.contact?.email !== 'string') problems.push('contact.email missing');
  for (const fv of body.contact?.fieldValues ?? [])
    if (typeof fv.field !== 'string' || typeof fv.value !== 'string')
      problems.push('fieldValues must be strings');
  return problems;
};
// Response shapes from the docs pages cited above (channels.md §12).
const synced = {
  status: 201,
  body: {
    fieldValues: [],
    contact: { email: 'ana@example.com', id: '113', cdate: '2026-01-01T06:00:00-06:00' },
  },
};
const spawned = { status: 200, body: { success: 1, message: 'Event spawned' } };

runConformance<ActivecampaignCredentials>({
  provider: 'activecampaign',
  channel: 'activecampaign',
  create: (deps, timeoutMs) => createActivecampaign({ timeoutMs }, deps),
  credentials,
  message,
  check,
  success: { responses: [synced, spawned], providerMessageId: '113' },
  classes: ['retryable', 'permanent'],
  errors: [
    {
      title: 'a 429 with Retry-After',
      responses: [{ status: 429, headers: { 'retry-after': '1' } }],
      expect: { class: 'retryable', code: 'rate_limited', retryAfterMs: 1000 },
    },
    {
      title: 'a 503 (throttled)',
      responses: [{ status: 503 }],
      expect: { class: 'retryable', code: 'provider_unavailable' },
    },
    {
      title: 'a 422 invalid e-mail',
      responses: [
        {
          status: 422,
          body: {
            errors: [
              {
                title: 'Email address is not valid.',
                detail: '',
                code: 'email_invalid',
                source: { pointer: '/data/attributes/email' },
              },
            ],
          },
        },
      ],
      expect: { class: 'permanent', code: 'invalid_request' },
    },
    {
      title: 'a 403 wrong key',
      responses: [{ status: 403, body: { message: 'No Result found' } }],
      expect: { class: 'permanent', code: 'provider_auth' },
    },
    {
      title: 'event tracking answering success:0',
      responses: [
        synced,
        { status: 200, body: { success: 0, message: 'Event tracking is not enabled' } },
      ],
      expect: { class: 'permanent', code: 'provider_config' },
    },
  ],
  receipts: {
    none: 'ActiveCampaign webhooks carry no signature; the automation reports nothing per message',
  },
});

describe('ActiveCampaign', () => {
  it('syncs the order fields, then tracks an event named per status', async () => {
    const recorder = recordingFetch([synced, spawned], check);
    await createActivecampaign({}, { fetch: recorder.fetch }).send(message, credentials);
    expect(JSON.parse(recorder.requests[0]?.body ?? '{}')).toEqual({
      contact: {
        email: 'ana@example.com',
        fieldValues: [
          { field: '12', value: '1001' },
          { field: '13', value: 'dispatched' },
        ],
      },
    });
    const event = new URLSearchParams(recorder.requests[1]?.body ?? '');
    expect(event.get('event')).toBe('order_dispatched');
    expect(event.get('visit')).toBe('{"email":"ana@example.com"}');
    expect(recorder.problems).toEqual([]);
  });

  it('refuses a contact point that is not an e-mail address', async () => {
    const result = await createActivecampaign(
      {},
      { fetch: () => Promise.reject(new Error('no call')) },
    ).send({ ...message, to: 'cust_123' }, credentials);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_recipient' } });
  });
});
