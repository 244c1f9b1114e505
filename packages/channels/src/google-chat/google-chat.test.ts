import { createVerify, generateKeyPairSync } from 'node:crypto';
import { fixedClock } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../test/conformance.ts';
import { outbound } from '../../test/messages.ts';
import { type RecordedRequest, recordingFetch } from '../../test/recording-fetch.ts';
import type { Rendering } from '../core-contract.ts';
import { createGoogleChat, type GoogleChatCredentials } from './google-chat.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const appCredentials: GoogleChatCredentials = {
  kind: 'service_account',
  space: 'spaces/AAAAq1w2e3r',
  clientEmail: 'tidings@proj.iam.gserviceaccount.com',
  privateKey: pem,
};
const webhookCredentials: GoogleChatCredentials = {
  kind: 'webhook',
  url: 'https://chat.googleapis.com/v1/spaces/AAAAq1w2e3r/messages?key=KEY&token=TOKEN',
};

// The cardsV2 example of Google's spaces.messages.create reference, as transcribed in channels.md §9.
const cardsV2 = [
  {
    cardId: 'order-1001',
    card: {
      header: { title: 'Order 1001 shipped', subtitle: 'UPS' },
      sections: [
        {
          widgets: [
            { decoratedText: { topLabel: 'Status', text: 'In transit' } },
            {
              buttonList: {
                buttons: [
                  { text: 'Track', onClick: { openLink: { url: 'https://ex.co/t/1001' } } },
                ],
              },
            },
          ],
        },
      ],
    },
  },
];
const rendering: Rendering = { channel: 'google_chat', text: 'Order 1001 shipped', cardsV2 };
const message = outbound(rendering);
const tokenResponse = {
  status: 200,
  body: { access_token: 'ya29.token', expires_in: 3599, token_type: 'Bearer' },
};

/**
 * No Chat spec is saved: requests are held to Google's spaces.messages.create reference and the
 * OAuth JWT bearer flow (channels.md §9): token exchange form, message endpoint, requestId, body.
 */
const check = (request: RecordedRequest): string[] => {
  const problems: string[] = [];
  if (request.url === 'https://oauth2.googleapis.com/token') {
    const form = new URLSearchParams(request.body ?? '');
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      problems.push('wrong grant_type');
    const [head, claims, sig] = (form.get('assertion') ?? '').split('.');
    const verifier = createVerify('RSA-SHA256').update(`${head}.${claims}`);
    if (sig === undefined || !verifier.verify(publicKey, Buffer.from(sig, 'base64url')))
      problems.push('assertion not signed by the key');
    const c = JSON.parse(Buffer.from(claims ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    if (
      c.scope !== 'https://www.googleapis.com/auth/chat.bot' ||
      c.aud !== 'https://oauth2.googleapis.com/token' ||
      c.iss !== 'tidings@proj.iam.gserviceaccount.com'
    )
      problems.push('bad claims');
    return problems;
  }
  const url = new URL(request.url);
  if (
    url.origin !== 'https://chat.googleapis.com' ||
    !/^\/v1\/spaces\/[^/]+\/messages$/.test(url.pathname)
  )
    problems.push('not spaces.messages.create');
  const app = request.headers.authorization !== undefined;
  if (app && url.searchParams.get('requestId') !== 'intent_01JH5Q8Z3K')
    problems.push('app sends must carry requestId');
  if (!app && (url.searchParams.get('key') === null || url.searchParams.get('token') === null))
    problems.push('webhook URL lost key/token');
  const body = JSON.parse(request.body ?? '{}') as {
    text?: unknown;
    cardsV2?: Array<{ cardId?: unknown; card?: unknown }>;
    thread?: { threadKey?: unknown };
  };
  if (typeof body.text !== 'string') problems.push('text missing');
  if (
    !(body.cardsV2 ?? []).every((c) => typeof c.cardId === 'string' && typeof c.card === 'object')
  )
    problems.push('cardsV2 entries need cardId and card');
  if (body.thread !== undefined && typeof body.thread.threadKey !== 'string')
    problems.push('thread.threadKey must be a string');
  return problems;
};
const chatError = (code: number, status: string) => ({
  status: code,
  body: { error: { code, message: 'x', status } },
});
const sent = {
  status: 200,
  body: {
    name: 'spaces/AAAAq1w2e3r/messages/abc.abc',
    thread: { name: 'spaces/AAAAq1w2e3r/threads/t' },
  },
};

runConformance<GoogleChatCredentials>({
  provider: 'google-chat',
  channel: 'google_chat',
  create: (deps, timeoutMs) => createGoogleChat({ timeoutMs }, deps),
  credentials: appCredentials,
  message,
  check,
  success: {
    responses: [tokenResponse, sent],
    providerMessageId: 'spaces/AAAAq1w2e3r/messages/abc.abc',
  },
  classes: ['retryable', 'permanent'],
  errors: [
    {
      title: '429 RESOURCE_EXHAUSTED',
      responses: [tokenResponse, chatError(429, 'RESOURCE_EXHAUSTED')],
      expect: { class: 'retryable', code: 'rate_limited', providerCode: 'RESOURCE_EXHAUSTED' },
    },
    {
      title: '503 UNAVAILABLE',
      responses: [tokenResponse, chatError(503, 'UNAVAILABLE')],
      expect: { class: 'retryable', code: 'provider_unavailable' },
    },
    {
      title: '400 INVALID_ARGUMENT (bad card)',
      responses: [tokenResponse, chatError(400, 'INVALID_ARGUMENT')],
      expect: { class: 'permanent', code: 'invalid_request' },
    },
    {
      title: '403 PERMISSION_DENIED (app not in the space)',
      responses: [tokenResponse, chatError(403, 'PERMISSION_DENIED')],
      expect: { class: 'permanent', code: 'provider_auth' },
    },
    {
      title: 'a refused service-account key (invalid_grant)',
      responses: [
        {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
        },
      ],
      expect: { class: 'permanent', code: 'provider_auth' },
    },
  ],
  receipts: { none: 'Google Chat has no delivery receipts' },
});

describe('Google Chat', () => {
  it('posts to an incoming webhook URL without a token and threads per order', async () => {
    const recorder = recordingFetch([sent], check);
    const result = await createGoogleChat({}, { fetch: recorder.fetch }).send(
      message,
      webhookCredentials,
    );
    expect(result.ok).toBe(true);
    expect(recorder.requests).toHaveLength(1);
    expect(recorder.requests[0]?.headers.authorization).toBeUndefined();
    expect(JSON.parse(recorder.requests[0]?.body ?? '{}').thread).toEqual({
      threadKey: 'order-1001',
    });
    expect(recorder.problems).toEqual([]);
  });

  it('reuses a service-account token until shortly before it expires', async () => {
    const clock = fixedClock('2026-01-01T12:00:00Z');
    const recorder = recordingFetch([tokenResponse, sent, sent, tokenResponse, sent], check);
    const channel = createGoogleChat({}, { fetch: recorder.fetch, clock });
    await channel.send(message, appCredentials);
    await channel.send(message, appCredentials);
    clock.set('2026-01-01T13:00:00Z');
    await channel.send(message, appCredentials);
    expect(recorder.requests.filter((r) => r.url.includes('oauth2')).length).toBe(2);
    expect(recorder.problems).toEqual([]);
  });
});
