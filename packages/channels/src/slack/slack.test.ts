import { describe, expect, it } from 'vitest';
import { runConformance } from '../../test/conformance.ts';
import { outbound } from '../../test/messages.ts';
import { recordingFetch } from '../../test/recording-fetch.ts';
import { type KnownDeviation, loadSpec } from '../../test/spec-validator.ts';
import { createSlack, type SlackCredentials, verifySlackSignature } from './slack.ts';

const spec = await loadSpec('slack/slack_web_openapi_v2.json');

/** channels.md §7: the 2020 spec models the token as a `token` header; Slack takes `Authorization: Bearer`. */
const bearerAsTokenHeader: KnownDeviation = {
  why: 'Slack spec models auth as a token header',
  rewrite: (r) => ({
    ...r,
    headers: { ...r.headers, token: (r.headers.authorization ?? '').replace(/^Bearer /, '') },
  }),
};
const check = (request: Parameters<typeof spec.validate>[1]) =>
  spec.validate('chat_postMessage', request, [bearerAsTokenHeader]);

const credentials: SlackCredentials = { botToken: 'xoxb-test-token', channelId: 'C0123ABCD' };
const blocks = [
  {
    type: 'section',
    text: { type: 'mrkdwn', text: '*Order #1001* shipped via UPS\n<https://ex.co/t/1001|Track>' },
  },
];
const message = outbound({ channel: 'slack', text: 'Order #1001 shipped', blocks });
const slackError = (error: string, status = 200, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: { ok: false, error },
});

runConformance<SlackCredentials>({
  provider: 'slack',
  channel: 'slack',
  create: (deps, timeoutMs) => createSlack({ timeoutMs }, deps),
  credentials,
  message,
  check,
  // The success example of the spec's chat.postMessage 200 response.
  success: {
    responses: [
      {
        status: 200,
        body: {
          ok: true,
          channel: 'C1H9RESGL',
          ts: '1503435956.000247',
          message: { text: "Here's a message for you", type: 'message' },
        },
      },
    ],
    providerMessageId: 'C1H9RESGL:1503435956.000247',
  },
  classes: ['retryable', 'permanent'],
  errors: [
    {
      title: 'ratelimited (HTTP 429 + Retry-After)',
      responses: [slackError('ratelimited', 429, { 'retry-after': '30' })],
      expect: {
        class: 'retryable',
        code: 'rate_limited',
        retryAfterMs: 30_000,
        providerCode: 'ratelimited',
      },
    },
    {
      title: 'internal_error',
      responses: [slackError('internal_error')],
      expect: { class: 'retryable', code: 'provider_unavailable' },
    },
    {
      title: 'channel_not_found',
      responses: [slackError('channel_not_found')],
      expect: { class: 'permanent', code: 'provider_config' },
    },
    {
      title: 'invalid_blocks',
      responses: [slackError('invalid_blocks')],
      expect: { class: 'permanent', code: 'content_rejected' },
    },
    {
      title: 'token_revoked',
      responses: [slackError('token_revoked')],
      expect: { class: 'permanent', code: 'provider_auth' },
    },
  ],
  receipts: { none: 'a 200 with ok:true is final; Slack sends no delivery callbacks' },
});

describe('Slack', () => {
  it('sends blocks as a JSON string with text as the notification fallback', async () => {
    const recorder = recordingFetch(
      [{ status: 200, body: { ok: true, channel: 'C0123ABCD', ts: '1.2' } }],
      check,
    );
    await createSlack({}, { fetch: recorder.fetch }).send(message, credentials);
    const form = new URLSearchParams(recorder.requests[0]?.body ?? '');
    expect(form.get('channel')).toBe('C0123ABCD');
    expect(form.get('text')).toBe('Order #1001 shipped');
    expect(JSON.parse(form.get('blocks') ?? '[]')).toEqual(blocks);
    expect(recorder.problems).toEqual([]);
  });

  // The worked example in Slack's "Verifying requests from Slack" (api.slack.com/authentication/verifying-requests-from-slack).
  it("accepts Slack's published signing example and rejects altered ones", () => {
    const rawBody =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const input = {
      signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
      timestamp: '1531420618',
      signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      rawBody,
      now: new Date(1531420618 * 1000),
    };
    expect(verifySlackSignature(input)).toBe(true);
    expect(verifySlackSignature({ ...input, rawBody: rawBody.replace('foobar', 'foobaz') })).toBe(
      false,
    );
    expect(verifySlackSignature({ ...input, timestamp: '1531420619' })).toBe(false);
    expect(verifySlackSignature({ ...input, now: new Date((1531420618 + 301) * 1000) })).toBe(
      false,
    );
  });
});
