/**
 * @module The one conformance suite every channel adapter runs (after Shopify's "battery of
 * tests"): send success, each error class, timeout, caller abort, receipt parse, signature reject.
 * Every request the adapter builds goes through the fixture's check: the provider's OpenAPI spec
 * where one exists, a check against published examples where not.
 */
import { fixedClock } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import type {
  Channel,
  FailureClass,
  InboundMessage,
  InboundRequest,
  OutboundMessage,
  ReceiptUpdate,
  ReplayGuard,
} from '../src/core-contract.ts';
import type { ChannelDeps } from '../src/http/channel-deps.ts';
import type { SendFailureCode } from '../src/http/send-failures.ts';
import type { ChannelSendOptions } from '../src/send-options.ts';
import {
  type CannedResponse,
  hangingFetch,
  type RequestCheck,
  recordingFetch,
} from './recording-fetch.ts';

export const TEST_NOW = '2026-01-01T12:00:00.000Z';

export interface ErrorCase<C = unknown> {
  title: string;
  responses: CannedResponse[];
  /** An adapter built for this case alone (the dev sink simulates failures through its config). */
  create?: (deps: ChannelDeps, timeoutMs: number) => Channel<C>;
  expect: {
    class: FailureClass;
    code: SendFailureCode;
    retryAfterMs?: number;
    providerCode?: string;
  };
}

export interface ReceiptCases {
  valid: InboundRequest;
  receipts: ReceiptUpdate[];
  inbound?: InboundMessage[];
  /** What the caller must take only once, for providers whose signature does not cover it all. */
  replay?: ReplayGuard;
  /** Requests altered after signing (body, URL, signature or timestamp); each must be refused. */
  altered: Array<{ title: string; request: InboundRequest }>;
}

export interface ConformanceFixture<C> {
  provider: string;
  channel: string;
  create: (deps: ChannelDeps, timeoutMs: number) => Channel<C>;
  credentials: C;
  message: OutboundMessage;
  options?: ChannelSendOptions;
  /** Applied to every request the adapter builds in the suite. */
  check: RequestCheck;
  success: { responses: CannedResponse[]; providerMessageId: string };
  /** Failure classes this provider can produce; each must have at least one case below. */
  classes: FailureClass[];
  errors: ErrorCase<C>[];
  receipts: ReceiptCases | { none: string };
  /** `none` for adapters that do no network I/O (the dev sink): the timeout tests change meaning. */
  transport?: 'http' | 'none';
}

/** Registers the conformance suite for one adapter. */
export const runConformance = <C>(fixture: ConformanceFixture<C>): void => {
  const clock = fixedClock(TEST_NOW);
  const build = (responses: CannedResponse[], create = fixture.create) => {
    const recorder = recordingFetch(responses, fixture.check);
    const channel = create({ fetch: recorder.fetch, clock }, 5_000);
    return { recorder, channel };
  };

  describe(`${fixture.provider} conformance`, () => {
    it('names a literal provider id and channel kind', () => {
      const { channel } = build(fixture.success.responses);
      expect(channel.provider).toBe(fixture.provider);
      expect(channel.channel).toBe(fixture.channel);
    });

    it('sends a conforming request and returns the provider message id', async () => {
      const { recorder, channel } = build(fixture.success.responses);
      const result = await channel.send(fixture.message, fixture.credentials, fixture.options);
      expect(result).toEqual({ ok: true, providerMessageId: fixture.success.providerMessageId });
      if (fixture.transport === 'none') expect(recorder.requests).toEqual([]);
      else expect(recorder.requests.length).toBeGreaterThan(0);
      expect(recorder.problems).toEqual([]);
    });

    it('has a case for every failure class it can produce', () => {
      const covered = new Set(fixture.errors.map((e) => e.expect.class));
      for (const cls of fixture.classes) expect(covered.has(cls), `no ${cls} case`).toBe(true);
      expect(fixture.classes).toContain('retryable');
      expect(fixture.classes).toContain('permanent');
    });

    for (const errorCase of fixture.errors) {
      it(`classifies ${errorCase.title} as ${errorCase.expect.class} (${errorCase.expect.code})`, async () => {
        const { recorder, channel } = build(errorCase.responses, errorCase.create);
        const result = await channel.send(fixture.message, fixture.credentials, fixture.options);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error).toMatchObject(errorCase.expect);
        if (errorCase.expect.retryAfterMs === undefined && errorCase.expect.class !== 'retryable') {
          expect(result.error.retryAfterMs).toBeUndefined();
        }
        // The provider's words are kept for the attempt record and never reach our message.
        const body = result.error.providerBody;
        if (body !== undefined && body.length > 8) expect(result.error.message).not.toContain(body);
        expect(recorder.problems).toEqual([]);
      });
    }

    if (fixture.transport === 'none') {
      it('does no network I/O, so it cannot time out', async () => {
        const channel = fixture.create(
          { fetch: () => Promise.reject(new Error('no I/O expected')), clock },
          20,
        );
        const result = await channel.send(fixture.message, fixture.credentials, fixture.options);
        expect(result.ok).toBe(true);
      });

      it("refuses to send once the caller's signal has aborted", async () => {
        const channel = fixture.create({ clock }, 20);
        const result = await channel.send(fixture.message, fixture.credentials, {
          ...fixture.options,
          signal: AbortSignal.abort(),
        });
        expect(result).toMatchObject({ ok: false, error: { code: 'aborted', class: 'retryable' } });
      });
    } else {
      it('gives up after its timeout with a retryable timeout failure', async () => {
        const channel = fixture.create({ fetch: hangingFetch(), clock }, 20);
        const result = await channel.send(fixture.message, fixture.credentials, fixture.options);
        expect(result).toMatchObject({ ok: false, error: { code: 'timeout', class: 'retryable' } });
      });

      it("stops as soon as the caller's signal aborts", async () => {
        const controller = new AbortController();
        const channel = fixture.create({ fetch: hangingFetch(), clock }, 60_000);
        const pending = channel.send(fixture.message, fixture.credentials, {
          ...fixture.options,
          signal: controller.signal,
        });
        controller.abort();
        expect(await pending).toMatchObject({
          ok: false,
          error: { code: 'aborted', class: 'retryable' },
        });
      });
    }

    const { receipts } = fixture;
    if ('none' in receipts) {
      it(`has no delivery receipts to parse (${receipts.none})`, () => {
        const { channel } = build(fixture.success.responses);
        expect(channel.parseReceipt).toBeUndefined();
      });
      return;
    }

    it('verifies and parses a signed receipt', async () => {
      const { channel } = build(fixture.success.responses);
      expect(channel.parseReceipt).toBeDefined();
      const parsed = await channel.parseReceipt?.(receipts.valid, fixture.credentials);
      expect(parsed).toEqual({
        ok: true,
        receipts: receipts.receipts,
        inbound: receipts.inbound ?? [],
        ...(receipts.replay ? { replay: receipts.replay } : {}),
      });
    });

    for (const altered of receipts.altered) {
      it(`rejects a receipt with ${altered.title}`, async () => {
        const { channel } = build(fixture.success.responses);
        const parsed = await channel.parseReceipt?.(altered.request, fixture.credentials);
        expect(parsed?.ok).toBe(false);
        if (parsed?.ok === false)
          expect(['bad_signature', 'stale_request']).toContain(parsed.error.code);
      });
    }
  });
};
