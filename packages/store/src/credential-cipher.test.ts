import { describe, expect, it } from 'vitest';
import { open, parseKeyRing, seal } from './credential-cipher.ts';
import { isStoreError } from './store-error.ts';

const HEX = 'ab'.repeat(32);
const B64 = Buffer.alloc(32, 7).toString('base64');

describe('parseKeyRing', () => {
  it('reads one key in hex or base64 (or base64url) and names it by a digest of the key', () => {
    const hex = parseKeyRing(HEX);
    expect(Buffer.from(hex.current.key).toString('hex')).toBe(HEX);
    expect(hex.current.id).toMatch(/^k[0-9a-f]{12}$/);
    expect(parseKeyRing(` ${HEX} `).current.id).toBe(hex.current.id);
    expect(Buffer.from(parseKeyRing(B64).current.key).equals(Buffer.alloc(32, 7))).toBe(true);
    const url = Buffer.alloc(32, 0xfb).toString('base64url');
    expect(Buffer.from(parseKeyRing(url).current.key).equals(Buffer.alloc(32, 0xfb))).toBe(true);
  });

  it('reads id:key pairs, the first encrypting', () => {
    const ring = parseKeyRing(`2026-11:${B64}, 2026-05:${HEX}`);
    expect(ring.current.id).toBe('2026-11');
    expect(ring.keys.map((k) => k.id)).toEqual(['2026-11', '2026-05']);
  });

  it.each([
    ['', 'empty'],
    ['abc', 'too short'],
    [Buffer.alloc(16).toString('base64'), '16 bytes'],
    [`bad id:${HEX}`, 'id with a space'],
    [`a:${HEX},a:${B64}`, 'duplicate id'],
  ])('refuses %j (%s) without echoing it', (value) => {
    let thrown: unknown;
    try {
      parseKeyRing(value);
    } catch (error) {
      thrown = error;
    }
    expect(isStoreError(thrown, 'invalid_secret_key')).toBe(true);
    if (value.length > 8) expect((thrown as Error).message).not.toContain(value);
  });
});

describe('seal and open', () => {
  const ring = parseKeyRing(`new:${B64},old:${HEX}`);

  it('round-trips, with a fresh IV each time', () => {
    const a = seal(ring, 't', 'twilio', '{"token":"x"}');
    const b = seal(ring, 't', 'twilio', '{"token":"x"}');
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
    expect(open(ring, 't', 'twilio', a)).toEqual({
      ok: true,
      plaintext: '{"token":"x"}',
      keyId: 'new',
    });
  });

  it('fails authentication on a changed IV, tag or ciphertext, or another tenant or provider', () => {
    const sealed = seal(ring, 't', 'twilio', 'secret');
    const flip = (bytes: Uint8Array): Uint8Array => {
      const copy = new Uint8Array(bytes);
      copy[0] = (copy[0] ?? 0) ^ 1;
      return copy;
    };
    for (const broken of [
      { ...sealed, iv: flip(sealed.iv) },
      { ...sealed, tag: flip(sealed.tag) },
      { ...sealed, ciphertext: flip(sealed.ciphertext) },
    ]) {
      expect(open(ring, 't', 'twilio', broken)).toEqual({ ok: false, code: 'credential_tampered' });
    }
    expect(open(ring, 'u', 'twilio', sealed)).toEqual({ ok: false, code: 'credential_tampered' });
    expect(open(ring, 't', 'sendgrid', sealed)).toEqual({ ok: false, code: 'credential_tampered' });
  });

  it('finds the key of a row whose key id the ring does not list (keys named after the fact)', () => {
    const unnamed = parseKeyRing(HEX);
    const sealed = seal(unnamed, 't', 'twilio', 'secret');
    expect(open(ring, 't', 'twilio', sealed)).toEqual({
      ok: true,
      plaintext: 'secret',
      keyId: 'old',
    });
    expect(open(parseKeyRing(B64), 't', 'twilio', sealed)).toEqual({
      ok: false,
      code: 'credential_key_unknown',
    });
  });
});
