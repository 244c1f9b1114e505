import { describe, expect, it } from 'vitest';
import { outbound, SMS } from '../../test/messages.ts';
import { DEFAULT_TIMEOUT_MS, type ResolvedDeps } from './channel-deps.ts';
import type { TransportRequest } from './provider-transport.ts';
import { sendFailure } from './send-failures.ts';
import { singleRequestSend } from './single-request-send.ts';

interface Seen {
  request: TransportRequest;
  signal: AbortSignal;
}

/** A transport that records what it was asked and answers 201 with a body naming the recipient. */
const recorder = (
  answer: (r: TransportRequest) => Promise<string> = async () => '{"id":"m-1"}',
) => {
  const seen: Seen[] = [];
  const deps: ResolvedDeps = {
    clock: { now: () => new Date('2026-03-01T12:00:00Z') },
    transport: async (request) => {
      seen.push({ request, signal: request.signal });
      return { status: 201, headers: { get: () => null }, text: await answer(request) };
    },
  };
  return { seen, deps };
};

const sendWith = (deps: ResolvedDeps, timeoutMs?: number) =>
  singleRequestSend<{ key: string }>({
    label: 'Acme',
    deps,
    timeoutMs,
    request: (message, to, credentials) =>
      message.rendering.channel === 'sms'
        ? {
            method: 'POST',
            url: 'https://acme.test/messages',
            headers: { authorization: `Key ${credentials.key}` },
            body: JSON.stringify({ to, text: message.rendering.text }),
          }
        : sendFailure({ label: 'Acme', code: 'invalid_request', class: 'permanent' }),
    answer: (response, message) => {
      const id = (response.json as { id?: string } | undefined)?.id;
      return id === undefined
        ? {
            ok: false,
            error: sendFailure({ label: 'Acme', code: 'unexpected_response', class: 'permanent' }),
          }
        : { ok: true, providerMessageId: `${id}/${message.intentId}` };
    },
  });

describe('singleRequestSend', () => {
  it('builds the request from the contact point and credentials, and reads the answer', async () => {
    const { seen, deps } = recorder();
    const result = await sendWith(deps)(outbound(SMS, { to: '+15145550100' }), { key: 'k1' });
    expect(result).toEqual({ ok: true, providerMessageId: 'm-1/intent_01JH5Q8Z3K' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.request.headers.authorization).toBe('Key k1');
    expect(JSON.parse(seen[0]?.request.body ?? '{}')).toMatchObject({ to: '+15145550100' });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
  ])('refuses an %s recipient without calling the provider', async (_name, to) => {
    const { seen, deps } = recorder();
    const message = outbound(SMS);
    const result = await sendWith(deps)(to === undefined ? message : { ...message, to }, {
      key: 'k',
    });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid_recipient',
        class: 'permanent',
        message: 'Acme rejected the recipient address.',
      },
    });
    expect(seen).toHaveLength(0);
  });

  it("returns the request builder's refusal without calling the provider", async () => {
    const { seen, deps } = recorder();
    const result = await sendWith(deps)(
      outbound({ channel: 'slack', text: 'hi', blocks: [] }, { to: 'x' }),
      { key: 'k' },
    );
    expect(result.ok === false && result.error.code).toBe('invalid_request');
    expect(seen).toHaveLength(0);
  });

  it('times out after the configured timeout, or the default when none is set', async () => {
    const stall = (r: TransportRequest) =>
      new Promise<string>((_resolve, reject) =>
        r.signal.addEventListener('abort', () => reject(r.signal.reason)),
      );
    const { deps } = recorder(stall);
    const started = Date.now();
    const result = await sendWith(deps, 50)(outbound(SMS, { to: '+1' }), { key: 'k' });
    expect(result.ok === false && result.error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(DEFAULT_TIMEOUT_MS);
  });

  it("follows the caller's signal: an aborted send never reaches the provider", async () => {
    const { seen, deps } = recorder();
    const controller = new AbortController();
    controller.abort();
    const result = await sendWith(deps)(
      outbound(SMS, { to: '+1' }),
      { key: 'k' },
      {
        signal: controller.signal,
      },
    );
    expect(result.ok === false && result.error.code).toBe('aborted');
    expect(seen).toHaveLength(0);
  });

  it('passes a network failure through as the call reported it, without reading an answer', async () => {
    const { deps } = recorder(async () => {
      throw new Error('ECONNREFUSED');
    });
    const result = await sendWith(deps)(outbound(SMS, { to: '+1' }), { key: 'k' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'network_error', class: 'retryable', providerBody: 'ECONNREFUSED' },
    });
  });
});
