import { silentLogger } from '@tidings/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIT_COMPLETED,
  AUDIT_PENDING,
  createCallbackCompleter,
} from '../src/callback-completer.ts';
import { hubspotSignatureV2, hubspotSignatureV3 } from '../src/request-signature.ts';
import {
  CLIENT_SECRET,
  eventually,
  executionRequest,
  PUBLIC_URL,
  type RunningHubspotHub,
  startHubspotHub,
} from './hubspot-harness.ts';

const NOW_PORTAL = 102670506;
const LATER_PORTAL = 555;
const ACTION = '/hubspot/actions/notify';

let h: RunningHubspotHub;

beforeAll(async () => {
  h = await startHubspotHub([
    { portalId: NOW_PORTAL },
    {
      portalId: LATER_PORTAL,
      config: {
        rules: [
          {
            id: 'tell-later',
            when: { statuses: ['dispatched'] },
            notify: { audience: 'customer', delayMinutes: 60 },
          },
        ],
      },
    },
  ]);
});
afterAll(async () => h.stop());

const outputs = async (res: Response) =>
  ((await res.json()) as { outputFields: Record<string, string> }).outputFields;

describe('POST /hubspot/actions/notify', () => {
  it("answers HubSpot's example execution, correctly signed, with SUCCESS once the message is sent", async () => {
    const res = await h.post(ACTION, executionRequest());
    expect(res.status).toBe(200);
    const out = await outputs(res);
    expect(out).toMatchObject({
      hs_execution_state: 'SUCCESS',
      tidings_outcome: 'sent',
      tidings_reason: 'sent_by_email',
    });
    expect(out.tidings_message_id).not.toBe('');
    const intents = await h.store.listIntents(String(NOW_PORTAL), 'SO-1001');
    expect(intents.filter((i) => i.intent.audience === 'customer')).toHaveLength(1);
    expect(
      h.hub.registry.devMessages().some((m) => JSON.stringify(m).includes('ada@example.com')),
    ).toBe(true);
    // The sent message is noted on the deal's timeline, through the client library.
    await h.handle.completer.idle();
    expect(h.stub.of('POST', '/crm/v3/objects/notes')).toHaveLength(1);
    expect(h.stub.of('PUT', '/crm/v4/objects/notes/')[0]?.path).toMatch(
      /\/associations\/default\/deal\/614$/,
    );
  });

  it("parses HubSpot's example verbatim (a contact, the docs' widget inputs) and fails it for want of a status", async () => {
    const verbatim = {
      callbackId: 'ap-102670506-56777914962-11-0-verbatim',
      origin: {
        portalId: 102670506,
        actionDefinitionId: 10860211,
        actionDefinitionVersion: 1,
        extensionDefinitionId: 10860211,
        extensionDefinitionVersionId: 1,
      },
      context: { source: 'WORKFLOWS', workflowId: 192814114 },
      object: { objectId: 614, objectType: 'CONTACT' },
      inputFields: { widgetOwner: '10887165', widgetName: 'My Widget Name' },
    };
    const res = await h.post(ACTION, verbatim);
    expect(res.status).toBe(200);
    expect(await outputs(res)).toEqual({
      hs_execution_state: 'FAIL_CONTINUE',
      tidings_outcome: 'failed',
      tidings_reason: 'invalid_input',
      tidings_message_id: '',
    });
  });

  it('sends nothing twice when HubSpot replays the same callbackId, and answers the same', async () => {
    const body = executionRequest({
      callbackId: 'ap-replay-1',
      inputFields: {
        status: 'processing',
        recipient_email: 'bo@example.com',
        order_reference: 'SO-2',
      },
    });
    const first = await outputs(await h.post(ACTION, body));
    const again = await outputs(await h.post(ACTION, body));
    expect(again).toEqual(first);
    const intents = await h.store.listIntents(String(NOW_PORTAL), 'SO-2');
    expect(intents).toHaveLength(1);
  });

  it('answers FAIL_CONTINUE with a reason for an invalid input, and records nothing', async () => {
    const bad = executionRequest({
      callbackId: 'ap-bad-1',
      inputFields: {
        status: 'teleported',
        recipient_email: 'x@example.com',
        order_reference: 'SO-3',
      },
    });
    const out = await outputs(await h.post(ACTION, bad));
    expect(out).toEqual({
      hs_execution_state: 'FAIL_CONTINUE',
      tidings_outcome: 'failed',
      tidings_reason: 'unknown_status',
      tidings_message_id: '',
    });
    const phone = executionRequest({
      callbackId: 'ap-bad-2',
      inputFields: { status: 'created', recipient_phone: 'call me', order_reference: 'SO-3' },
    });
    expect((await outputs(await h.post(ACTION, phone))).tidings_reason).toBe('invalid_input');
    expect(await h.store.listEvents(String(NOW_PORTAL), 'SO-3')).toHaveLength(0);
  });

  it('answers FAIL_CONTINUE for a portal that never installed the app', async () => {
    const out = await outputs(
      await h.post(ACTION, executionRequest({ callbackId: 'ap-x', portalId: 999 })),
    );
    expect(out).toMatchObject({
      hs_execution_state: 'FAIL_CONTINUE',
      tidings_reason: 'portal_not_installed',
    });
  });

  it('SUCCESS with "suppressed" when there is no one to tell', async () => {
    const none = executionRequest({
      callbackId: 'ap-none',
      inputFields: { status: 'created', order_reference: 'SO-4' },
    });
    const out = await outputs(await h.post(ACTION, none));
    expect(out).toMatchObject({ hs_execution_state: 'SUCCESS', tidings_outcome: 'suppressed' });
    expect(out.tidings_reason).not.toBe('');
  });

  it("sends the workflow's template by the workflow's channel (core's notify choice)", async () => {
    const body = executionRequest({
      callbackId: 'ap-choice',
      inputFields: {
        status: 'dispatched',
        template: 'delivered',
        channel: 'sms',
        recipient_email: 'fa@example.com',
        recipient_phone: '+1 415 555 0111',
        order_reference: 'SO-C1',
      },
    });
    const out = await outputs(await h.post(ACTION, body));
    expect(out).toMatchObject({ hs_execution_state: 'SUCCESS', tidings_reason: 'sent_by_sms' });
    const [intent] = await h.store.listIntents(String(NOW_PORTAL), 'SO-C1');
    expect(intent?.intent).toMatchObject({ templateKey: 'delivered', fallbacks: [] });
    const decisions = await h.store.listDecisions(String(NOW_PORTAL), 'SO-C1');
    expect(decisions.find((d) => d.decision.intentId)?.decision.reasons).toEqual(
      expect.arrayContaining(['event_template', 'event_channels']),
    );
  });

  it('answers FAIL_CONTINUE unknown_template for a template the portal does not have', async () => {
    const body = executionRequest({
      callbackId: 'ap-no-template',
      inputFields: {
        status: 'dispatched',
        template: 'gone_template',
        recipient_email: 'ga@example.com',
        order_reference: 'SO-C2',
      },
    });
    const out = await outputs(await h.post(ACTION, body));
    expect(out).toEqual({
      hs_execution_state: 'FAIL_CONTINUE',
      tidings_outcome: 'failed',
      tidings_reason: 'unknown_template',
      tidings_message_id: '',
    });
    expect(await h.store.listIntents(String(NOW_PORTAL), 'SO-C2')).toEqual([]);
  });

  it('maps a deal stage picked from the record through the portal vocabulary', async () => {
    const won = executionRequest({
      callbackId: 'ap-stage',
      inputFields: {
        status: 'closedwon',
        recipient_email: 'cy@example.com',
        order_reference: 'SO-5',
      },
    });
    const out = await outputs(await h.post(ACTION, won));
    expect(out.tidings_outcome).toBe('sent');
    const [event] = await h.store.listEvents(String(NOW_PORTAL), 'SO-5');
    expect(event?.event.status).toBe('created');
    expect(event?.event.raw).toEqual({ value: 'closedwon', field: 'dealstage' });
  });

  it('BLOCKs a deferred send, then completes it through the callbacks API when it is sent', async () => {
    const body = executionRequest({
      callbackId: 'ap-later-1',
      portalId: LATER_PORTAL,
      inputFields: {
        status: 'dispatched',
        recipient_email: 'di@example.com',
        order_reference: 'SO-L1',
      },
    });
    const out = await outputs(await h.post(ACTION, body));
    expect(out).toMatchObject({
      hs_execution_state: 'BLOCK',
      tidings_outcome: 'deferred',
      tidings_reason: 'rule_delay',
    });
    expect(out.hs_expiration_duration).toMatch(/^P\d+DT\d+H$/);
    const audit = await h.store.listAudit(String(LATER_PORTAL), 'SO-L1');
    expect(audit.map((a) => a.action)).toContain(AUDIT_PENDING);
    expect(h.stub.of('POST', '/automation/v4/actions/callbacks/')).toHaveLength(0);

    h.advance(61 * 60_000);
    await eventually(() => h.stub.of('POST', '/automation/v4/actions/callbacks/').length === 1);
    const [call] = h.stub.of('POST', '/automation/v4/actions/callbacks/');
    expect(call?.path).toBe('/automation/v4/actions/callbacks/ap-later-1/complete');
    // An hour later the stored token was within five minutes of expiry: it was refreshed first.
    expect(call?.headers.authorization).toBe('Bearer access-1');
    expect(h.stub.of('POST', '/oauth/v1/token')[0]?.body).toContain('grant_type=refresh_token');
    const sent = call?.json as {
      outputFields: Record<string, string>;
      typedOutputs: Record<string, string>;
    };
    expect(sent.outputFields).toMatchObject({
      hs_execution_state: 'SUCCESS',
      tidings_outcome: 'sent',
      tidings_reason: 'sent_by_email',
    });
    expect(sent.outputFields.tidings_message_id).toBe(out.tidings_message_id);
    expect(sent.typedOutputs).toEqual(sent.outputFields);
    await eventually(async () =>
      (await h.store.listAudit(String(LATER_PORTAL), 'SO-L1')).some(
        (a) => a.action === AUDIT_COMPLETED,
      ),
    );
    // The audit entry is written just before the completion leaves the in-memory pending set.
    await eventually(() => h.handle.completer.pendingCount() === 0);
  });

  it('keeps trying a completion HubSpot answers with 503, and a restart forgets nothing', async () => {
    const body = executionRequest({
      callbackId: 'ap-later-2',
      portalId: LATER_PORTAL,
      inputFields: {
        status: 'dispatched',
        recipient_email: 'ed@example.com',
        order_reference: 'SO-L2',
      },
    });
    expect((await outputs(await h.post(ACTION, body))).hs_execution_state).toBe('BLOCK');
    // A fresh completer (a restarted process) rebuilds what is open from the audit log.
    const restarted = createCallbackCompleter({
      store: h.store,
      clock: h.clock,
      api: h.handle.api,
      tokens: h.handle.tokens,
      logger: silentLogger,
    });
    expect(await restarted.hydrate()).toBe(1);
    h.stub.failCallbacks(503, 2);
    const seen = h.stub.of('POST', '/automation/v4/actions/callbacks/ap-later-2').length;
    h.advance(61 * 60_000);
    await eventually(
      () => h.stub.of('POST', '/automation/v4/actions/callbacks/ap-later-2').length >= seen + 3,
    );
    await eventually(async () =>
      (await h.store.listAudit(String(LATER_PORTAL), 'SO-L2')).some(
        (a) => a.action === AUDIT_COMPLETED,
      ),
    );
  });
});

describe('requests that are not from HubSpot, or not well-formed', () => {
  it('rejects a forged signature, a changed body and a missing signature with 401', async () => {
    const body = executionRequest({ callbackId: 'ap-forged' });
    const forged = await h.post(ACTION, body, { signWith: 'not-the-secret' });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('bad_signature');
    const changed = await h.post(ACTION, body, {
      tamper: (raw) => raw.replace('SO-1001', 'SO-9999'),
    });
    expect(changed.status).toBe(401);
    const unsigned = await fetch(`${h.url}${ACTION}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: { code: string } }).error.code).toBe(
      'missing_signature',
    );
    expect(await h.store.listEvents(String(NOW_PORTAL), 'SO-9999')).toHaveLength(0);
  });

  const sendSigned = (body: unknown, headers: Record<string, string>) =>
    fetch(`${h.url}${ACTION}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const codeOf = async (res: Response) =>
    ((await res.json()) as { error: { code: string } }).error.code;

  it('rejects a v3 signature made for another URI', async () => {
    const body = executionRequest({ callbackId: 'ap-other-uri' });
    const ts = String(h.clock.now().getTime());
    const res = await sendSigned(body, {
      'x-hubspot-signature-v3': hubspotSignatureV3(
        CLIENT_SECRET,
        'POST',
        `${PUBLIC_URL}/hubspot/options/templates`,
        JSON.stringify(body),
        ts,
      ),
      'x-hubspot-request-timestamp': ts,
    });
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('bad_signature');
  });

  it('accepts the v2 signature the custom-action guide says actions carry, when no v3 is sent', async () => {
    const body = executionRequest({
      callbackId: 'ap-v2',
      inputFields: {
        status: 'processing',
        recipient_email: 'v2@example.com',
        order_reference: 'SO-V2',
      },
    });
    const res = await sendSigned(body, {
      'x-hubspot-signature': hubspotSignatureV2(
        CLIENT_SECRET,
        'POST',
        `${PUBLIC_URL}${ACTION}`,
        JSON.stringify(body),
      ),
      'x-hubspot-signature-version': 'v2',
    });
    expect(res.status).toBe(200);
    expect((await outputs(res)).tidings_outcome).toBe('sent');
  });

  it('judges a request carrying v3 by v3 alone: a valid v2 beside a wrong v3 is refused', async () => {
    const body = executionRequest({ callbackId: 'ap-downgrade' });
    const res = await sendSigned(body, {
      'x-hubspot-signature': hubspotSignatureV2(
        CLIENT_SECRET,
        'POST',
        `${PUBLIC_URL}${ACTION}`,
        JSON.stringify(body),
      ),
      'x-hubspot-signature-version': 'v2',
      'x-hubspot-signature-v3': 'AAAA',
      'x-hubspot-request-timestamp': String(h.clock.now().getTime()),
    });
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('bad_signature');
  });

  it('rejects a stale timestamp (a replay after five minutes) with 401 stale_request', async () => {
    const res = await h.post(ACTION, executionRequest({ callbackId: 'ap-stale' }), {
      at: h.clock.now().getTime() - 301_000,
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('stale_request');
  });

  it('refuses an oversized body with 413 before verifying anything', async () => {
    const big = executionRequest({
      callbackId: 'ap-big',
      inputFields: { status: 'created', order_reference: 'x'.repeat(70_000) },
    });
    const res = await h.post(ACTION, big);
    expect(res.status).toBe(413);
  });

  it('answers 400 for malformed JSON and for a signed body that is not an execution', async () => {
    const res = await h.post(ACTION, undefined, { raw: '{"callbackId":' });
    expect(res.status).toBe(400);
    const wrong = await h.post(ACTION, { hello: 'world' });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('malformed_body');
  });

  it('answers 429 with Retry-After when too many executions are in progress', async () => {
    const busy = await startHubspotHub([{ portalId: 7 }], {
      HUBSPOT_MAX_IN_FLIGHT: '1',
      HUBSPOT_SYNC_WAIT_MS: '1500',
    });
    try {
      await busy.hub.dispatcher?.stop();
      const slow = busy.post(ACTION, executionRequest({ callbackId: 'ap-slow', portalId: 7 }));
      await new Promise((r) => setTimeout(r, 300));
      const second = await busy.post(
        ACTION,
        executionRequest({ callbackId: 'ap-fast', portalId: 7 }),
      );
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('5');
      const first = await slow;
      expect((await outputs(first)).hs_execution_state).toBe('BLOCK');
    } finally {
      await busy.stop();
    }
  });
});

describe('POST /hubspot/options/templates', () => {
  it('lists the templates a workflow author can pick, searchable', async () => {
    const res = await h.post('/hubspot/options/templates', {
      origin: { portalId: NOW_PORTAL },
      inputFieldName: 'template',
      fetchOptions: { q: 'deliv' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { options: { value: string }[]; searchable: boolean };
    expect(body.searchable).toBe(true);
    expect(body.options.map((o) => o.value)).toEqual(
      expect.arrayContaining(['delivered', 'out_for_delivery']),
    );
    expect(body.options.some((o) => o.value.startsWith('internal.'))).toBe(false);
  });

  it('is signed like every other HubSpot request', async () => {
    const res = await h.post(
      '/hubspot/options/templates',
      { origin: { portalId: NOW_PORTAL } },
      { signWith: 'nope' },
    );
    expect(res.status).toBe(401);
  });
});
