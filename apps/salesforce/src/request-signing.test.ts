import { describe, expect, it } from 'vitest';
import vector from '../test/fixtures/signing-vector.json' with { type: 'json' };
import { toOrgId18 } from './org-id.ts';
import {
  createReplayGuard,
  isWithinReplayWindow,
  SIGNATURE_HEADER,
  signBody,
  verifySignature,
} from './request-signing.ts';

describe('the Salesforce signing scheme', () => {
  it('reproduces the shared test vector the Apex test class asserts', () => {
    expect(SIGNATURE_HEADER).toBe(vector.header.toLowerCase());
    expect(signBody(vector.secret, vector.body)).toBe(vector.signature);
    expect(verifySignature(vector.signature, vector.secret, Buffer.from(vector.body))).toEqual({
      ok: true,
    });
  });

  it('refuses a changed body, another secret, and a malformed header', () => {
    const body = Buffer.from(vector.body.replace('Shipped', 'Delivered'));
    expect(verifySignature(vector.signature, vector.secret, body)).toMatchObject({
      ok: false,
      code: 'bad_signature',
    });
    expect(verifySignature(vector.signature, 'other', Buffer.from(vector.body))).toMatchObject({
      ok: false,
      code: 'bad_signature',
    });
    expect(
      verifySignature(vector.signature.toUpperCase(), vector.secret, Buffer.from(vector.body)),
    ).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verifySignature(undefined, vector.secret, Buffer.from(vector.body))).toMatchObject({
      ok: false,
      code: 'missing_signature',
    });
  });

  it('accepts sentAt within five minutes either way and nothing older', () => {
    const now = new Date('2025-06-01T12:04:59.000Z');
    expect(isWithinReplayWindow('2025-06-01T12:00:00.000Z', now)).toBe(true);
    expect(isWithinReplayWindow('2025-06-01T12:00:00.000Z', new Date('2025-06-01T12:05:01Z'))).toBe(
      false,
    );
    expect(isWithinReplayWindow('2025-06-01T12:09:00.000Z', now)).toBe(true);
    expect(isWithinReplayWindow('not a date', now)).toBe(false);
  });

  it('remembers a signature for the window and forgets it after', () => {
    const guard = createReplayGuard();
    const t0 = new Date('2025-06-01T12:00:00Z');
    expect(guard.firstSighting('v1=a', t0)).toBe(true);
    expect(guard.firstSighting('v1=a', new Date('2025-06-01T12:04:00Z'))).toBe(false);
    expect(guard.firstSighting('v1=a', new Date('2025-06-01T12:11:00Z'))).toBe(true);
  });

  it('stays bounded under a flood of distinct signatures', () => {
    const guard = createReplayGuard(100);
    const now = new Date('2025-06-01T12:00:00Z');
    for (let i = 0; i < 1000; i += 1) guard.firstSighting(`v1=${i}`, now);
    expect(guard.firstSighting('v1=999', now)).toBe(false);
    expect(guard.firstSighting('v1=0', now)).toBe(true);
  });
});

describe('org ids', () => {
  it('turns a 15-character org id into its 18-character form and keeps an 18', () => {
    expect(toOrgId18('00D5e000000AbCd')).toBe('00D5e000000AbCdEAK');
    expect(toOrgId18('00D5e000000AbCdEAK')).toBe('00D5e000000AbCdEAK');
    expect(toOrgId18('001000000000001')).toBeUndefined();
    expect(toOrgId18(42)).toBeUndefined();
  });
});
