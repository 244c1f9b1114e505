import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signPluginRequest, verifyPluginSignature } from './plugin-signature.ts';

interface Vector {
  name: string;
  secret: string;
  timestamp: string;
  deliveryId: string;
  body: string;
  signature: string;
}
const { vectors } = JSON.parse(
  readFileSync(new URL('../test/fixtures/signing-vectors.json', import.meta.url), 'utf8'),
) as { vectors: Vector[] };

describe('the plugin signing scheme', () => {
  it.each(vectors)('matches the shared test vector: $name', (v) => {
    expect(signPluginRequest(v.secret, v.timestamp, v.deliveryId, v.body)).toBe(v.signature);
    expect(
      signPluginRequest(v.secret, v.timestamp, v.deliveryId, Buffer.from(v.body, 'utf8')),
    ).toBe(v.signature);
  });

  const base = vectors[0] as Vector;
  const verify = (over: Partial<Parameters<typeof verifyPluginSignature>[0]> = {}) =>
    verifyPluginSignature({
      secret: base.secret,
      timestamp: base.timestamp,
      deliveryId: base.deliveryId,
      signature: base.signature,
      body: Buffer.from(base.body, 'utf8'),
      nowMs: Number(base.timestamp) * 1000 + 60_000,
      toleranceSeconds: 300,
      ...over,
    });

  it('accepts a fresh, correct signature, also among several', () => {
    expect(verify().ok).toBe(true);
    expect(verify({ signature: `v1=deadbeef, ${base.signature}` }).ok).toBe(true);
  });

  it('binds the delivery id and the timestamp, not just the body', () => {
    expect(verify({ deliveryId: 'ffffffff-0000-4000-8000-000000000000' })).toMatchObject({
      ok: false,
      error: { code: 'bad_signature' },
    });
    expect(verify({ timestamp: String(Number(base.timestamp) + 1) })).toMatchObject({
      ok: false,
      error: { code: 'bad_signature' },
    });
  });

  it('calls a correct signature with an old timestamp stale, and checks the signature first', () => {
    expect(verify({ nowMs: Number(base.timestamp) * 1000 + 301_000 })).toMatchObject({
      ok: false,
      error: { code: 'stale_request' },
    });
    expect(
      verify({ nowMs: Number(base.timestamp) * 1000 + 301_000, signature: 'v1=00' }),
    ).toMatchObject({ ok: false, error: { code: 'bad_signature' } });
  });
});
