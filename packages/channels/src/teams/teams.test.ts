import { describe, expect, it } from 'vitest';
import { runConformance } from '../../test/conformance.ts';
import { outbound } from '../../test/messages.ts';
import { type RecordedRequest, recordingFetch } from '../../test/recording-fetch.ts';
import type { Rendering } from '../core-contract.ts';
import { createTeams, type TeamsCredentials } from './teams.ts';

// The Adaptive Card from the Workflows example apprise posts (caronc/apprise cf17bc9e, plugins/workflows.py), via channels.md §8b.
const card = {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  type: 'AdaptiveCard',
  version: '1.4',
  body: [{ type: 'TextBlock', text: 'Order 1001 shipped', weight: 'Bolder', wrap: true }],
  actions: [{ type: 'Action.OpenUrl', title: 'Track', url: 'https://ex.co/t/1001' }],
};
const rendering: Rendering = { channel: 'teams', card };
const message = outbound(rendering);
const graphCredentials: TeamsCredentials = {
  kind: 'graph',
  accessToken: 'eyJ0eXAi.delegated',
  target: {
    teamId: 'fbe2bf47-16c8-47cf-b4a5-4b9b187c508b',
    channelId: '19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2',
  },
};
const workflowUrl =
  'https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SAS';
const workflowCredentials: TeamsCredentials = { kind: 'workflow', url: workflowUrl };

/**
 * No Graph spec is saved: requests are held to Microsoft's "Send chatMessage in a channel or a
 * chat" page (request shape with an `<attachment id>` placeholder and the card as a string) and,
 * for Workflows, to apprise's payload (channels.md §8a, §8b).
 */
const checkGraph = (request: RecordedRequest): string[] => {
  const problems: string[] = [];
  if (
    !/^https:\/\/graph\.microsoft\.com\/v1\.0\/(teams\/[^/]+\/channels\/[^/]+|chats\/[^/]+)\/messages$/.test(
      request.url,
    )
  )
    problems.push(`not a chatMessage endpoint: ${request.url}`);
  if (!request.headers.authorization?.startsWith('Bearer ')) problems.push('no bearer token');
  const body = JSON.parse(request.body ?? '{}') as {
    body?: { contentType?: string; content?: string };
    attachments?: Array<{ id?: string; contentType?: string; content?: unknown }>;
  };
  if (!['html', 'text'].includes(body.body?.contentType ?? ''))
    problems.push('body.contentType must be html or text');
  for (const a of body.attachments ?? []) {
    if (!body.body?.content?.includes(`<attachment id="${a.id}"></attachment>`))
      problems.push(`attachment ${a.id} is not referenced from the body`);
    if (
      a.contentType !== 'application/vnd.microsoft.card.adaptive' ||
      typeof a.content !== 'string'
    )
      problems.push('the card must be an adaptive card JSON string');
  }
  return problems;
};
const checkWorkflow = (request: RecordedRequest): string[] => {
  const body = JSON.parse(request.body ?? '{}') as {
    type?: string;
    attachments?: Array<{
      contentType?: string;
      contentUrl?: unknown;
      content?: { type?: string };
    }>;
  };
  const problems: string[] = [];
  if (request.url !== workflowUrl)
    problems.push('must post to the configured workflow URL unchanged');
  if (body.type !== 'message') problems.push('type must be message');
  const a = body.attachments?.[0];
  if (
    a?.contentType !== 'application/vnd.microsoft.card.adaptive' ||
    a.contentUrl !== null ||
    a.content?.type !== 'AdaptiveCard'
  )
    problems.push('attachment must be an inline AdaptiveCard');
  return problems;
};
const graphError = (status: number, code: string, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: {
    error: {
      code,
      message: 'x',
      innerError: { date: '2026-01-01T12:00:00', 'request-id': 'r', 'client-request-id': 'c' },
    },
  },
});

runConformance<TeamsCredentials>({
  provider: 'teams',
  channel: 'teams',
  create: (deps, timeoutMs) => createTeams({ timeoutMs }, deps),
  credentials: graphCredentials,
  message,
  check: checkGraph,
  success: {
    responses: [{ status: 201, body: { id: '1616990032035', messageType: 'message' } }],
    providerMessageId: '1616990032035',
  },
  classes: ['retryable', 'permanent'],
  errors: [
    {
      title: '429 TooManyRequests with Retry-After',
      responses: [graphError(429, 'TooManyRequests', { 'retry-after': '10' })],
      expect: { class: 'retryable', code: 'rate_limited', retryAfterMs: 10_000 },
    },
    {
      title: '503 serviceNotAvailable',
      responses: [graphError(503, 'serviceNotAvailable')],
      expect: { class: 'retryable', code: 'provider_unavailable' },
    },
    {
      title: '404 NotFound (channel gone)',
      responses: [graphError(404, 'NotFound')],
      expect: { class: 'permanent', code: 'provider_config' },
    },
    {
      title: '401 with an app-only token ("import purposes")',
      responses: [graphError(401, 'Unauthorized')],
      expect: { class: 'permanent', code: 'provider_auth' },
    },
  ],
  receipts: { none: 'Teams has no delivery receipts' },
});

describe('Teams via a Workflows webhook', () => {
  runConformance<TeamsCredentials>({
    provider: 'teams',
    channel: 'teams',
    create: (deps, timeoutMs) => createTeams({ timeoutMs }, deps),
    credentials: workflowCredentials,
    message,
    check: checkWorkflow,
    success: { responses: [{ status: 202 }], providerMessageId: 'workflow:intent_01JH5Q8Z3K' },
    classes: ['retryable', 'permanent'],
    errors: [
      {
        title: 'a 429',
        responses: [{ status: 429 }],
        expect: { class: 'retryable', code: 'rate_limited' },
      },
      {
        title: 'a 502',
        responses: [{ status: 502 }],
        expect: { class: 'retryable', code: 'provider_unavailable' },
      },
      {
        title: 'a 400 (bad sig or flow off)',
        responses: [{ status: 400, body: 'DirectApiAuthorizationRequired' }],
        expect: { class: 'permanent', code: 'provider_config' },
      },
      {
        title: 'a 404 (flow deleted)',
        responses: [{ status: 404 }],
        expect: { class: 'permanent', code: 'provider_config' },
      },
    ],
    receipts: { none: 'a Workflows flow runs asynchronously and reports nothing back' },
  });

  it('posts to a chat when the target is a chat', async () => {
    const recorder = recordingFetch([{ status: 201, body: { id: '1' } }], checkGraph);
    await createTeams({}, { fetch: recorder.fetch }).send(message, {
      kind: 'graph',
      accessToken: 't',
      target: { chatId: '19:abc@thread.v2' },
    });
    expect(recorder.requests[0]?.url).toBe(
      'https://graph.microsoft.com/v1.0/chats/19%3Aabc%40thread.v2/messages',
    );
    expect(recorder.problems).toEqual([]);
  });
});
