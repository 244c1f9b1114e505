import { describe, expect, it } from 'vitest';
import { verifyZendeskSignature, zendeskSignature } from './webhook-signature.ts';

const NOW = Date.parse('2026-11-28T15:00:00Z');
const body = Buffer.from('{"ticket":{"id":"1"}}');
const headers = (ts: string, sig: string) => ({
  'x-zendesk-webhook-signature': sig,
  'x-zendesk-webhook-signature-timestamp': ts,
});

describe('verifyZendeskSignature', () => {
  it('accepts base64 HMAC-SHA256 of timestamp + body with no separator', () => {
    const ts = '2026-11-28T14:59:30Z';
    const sig = zendeskSignature('secret-0123456789abcdef', ts, body);
    expect(
      verifyZendeskSignature(headers(ts, sig), body, ['secret-0123456789abcdef'], NOW),
    ).toEqual({ ok: true });
  });

  it('accepts any of the given secrets (a reset in progress)', () => {
    const ts = '2026-11-28T14:59:30Z';
    const sig = zendeskSignature('new-secret-0123456789', ts, body);
    expect(
      verifyZendeskSignature(
        headers(ts, sig),
        body,
        ['old-secret-0123456789', 'new-secret-0123456789'],
        NOW,
      ).ok,
    ).toBe(true);
  });

  it('refuses a timestamp outside the window even when correctly signed', () => {
    const ts = '2026-11-28T14:50:00Z';
    const sig = zendeskSignature('s-0123456789abcdef', ts, body);
    expect(
      verifyZendeskSignature(headers(ts, sig), body, ['s-0123456789abcdef'], NOW),
    ).toMatchObject({ ok: false, code: 'stale_request' });
  });

  it('refuses a signature over a different timestamp', () => {
    const sig = zendeskSignature('s-0123456789abcdef', '2026-11-28T14:59:00Z', body);
    expect(
      verifyZendeskSignature(
        headers('2026-11-28T14:59:01Z', sig),
        body,
        ['s-0123456789abcdef'],
        NOW,
      ),
    ).toMatchObject({ ok: false, code: 'bad_signature' });
  });

  it('names missing headers', () => {
    expect(verifyZendeskSignature({}, body, ['s'], NOW)).toMatchObject({
      ok: false,
      code: 'missing_signature',
    });
  });
});
