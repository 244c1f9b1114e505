import { describe, expect, it } from 'vitest';
import type { ResolvedDeps } from './channel-deps.ts';
import {
  answerFailure,
  classifyByRule,
  classifyHttpStatus,
  withRateLimitReset,
} from './http-classification.ts';
import type { ProviderResponse } from './provider-call.ts';

const NOW = new Date('2026-03-01T12:00:00Z');
const deps: ResolvedDeps = {
  clock: { now: () => NOW },
  transport: async () => {
    throw new Error('no request is made in these tests');
  },
};

const answer = (status: number, headers: Record<string, string> = {}): ProviderResponse => ({
  status,
  headers: { get: (name) => headers[name.toLowerCase()] ?? null },
  text: '{"error":"provider words"}',
  json: { error: 'provider words' },
});

describe('answerFailure', () => {
  it('keeps status and body for the record, never the provider text in the message', () => {
    const failure = answerFailure('Acme', answer(402), 'provider_config', 'permanent', {
      providerCode: 17,
    });
    expect(failure).toEqual({
      code: 'provider_config',
      class: 'permanent',
      message: 'Acme rejected the sender or account configuration; check the channel set-up.',
      providerStatus: 402,
      providerCode: '17',
      providerBody: '{"error":"provider words"}',
    });
  });
});

describe('classifyByRule', () => {
  it("uses the rule's class and code, with the Retry-After wait when the rule is retryable", () => {
    const failure = classifyByRule('Acme', answer(400, { 'retry-after': '30' }), deps, 20429, [
      'retryable',
      'rate_limited',
    ]);
    expect(failure).toMatchObject({
      code: 'rate_limited',
      class: 'retryable',
      providerStatus: 400,
      providerCode: '20429',
      retryAfterMs: 30_000,
    });
  });

  it('ignores Retry-After on a rule that is not retryable', () => {
    const failure = classifyByRule('Acme', answer(400, { 'retry-after': '30' }), deps, 21610, [
      'consent',
      'recipient_opted_out',
    ]);
    expect(failure.class).toBe('consent');
    expect(failure.retryAfterMs).toBeUndefined();
  });

  it('falls back to the HTTP status, keeping the unmatched code, when no rule applies', () => {
    const response = answer(503, { 'retry-after': '5' });
    expect(classifyByRule('Acme', response, deps, 'weird', undefined)).toEqual(
      classifyHttpStatus('Acme', response, deps, 'weird'),
    );
    expect(classifyByRule('Acme', response, deps, 'weird', undefined)).toMatchObject({
      code: 'provider_unavailable',
      providerCode: 'weird',
      retryAfterMs: 5_000,
    });
  });
});

describe('withRateLimitReset', () => {
  const reset = String(NOW.getTime() / 1000 + 12);

  it('waits until X-RateLimit-Reset when a 429 carries no Retry-After', () => {
    const response = answer(429, { 'x-ratelimit-reset': reset });
    const failure = withRateLimitReset(classifyHttpStatus('Acme', response, deps), response, deps);
    expect(failure).toMatchObject({ code: 'rate_limited', retryAfterMs: 12_000 });
  });

  it('prefers Retry-After when both are present', () => {
    const response = answer(429, { 'x-ratelimit-reset': reset, 'retry-after': '3' });
    const failure = withRateLimitReset(classifyHttpStatus('Acme', response, deps), response, deps);
    expect(failure.retryAfterMs).toBe(3_000);
  });

  it('leaves other failures and headerless rate limits as they are', () => {
    const busy = answer(503, { 'x-ratelimit-reset': reset });
    const unavailable = classifyHttpStatus('Acme', busy, deps);
    expect(withRateLimitReset(unavailable, busy, deps)).toBe(unavailable);
    const bare = answer(429);
    const limited = classifyHttpStatus('Acme', bare, deps);
    expect(withRateLimitReset(limited, bare, deps)).toBe(limited);
  });
});
