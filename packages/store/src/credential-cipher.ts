/**
 * @module AES-256-GCM for credentials at rest, with a key ring read from `TIDINGS_SECRET_KEY`:
 * the first key encrypts, every key decrypts, so keys can be rotated without downtime.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { StoreError } from './store-error.ts';

export interface SecretKey {
  id: string;
  key: Uint8Array;
}

/** Keys in order: the first encrypts. */
export interface KeyRing {
  current: SecretKey;
  keys: readonly SecretKey[];
}

export interface Sealed {
  keyId: string;
  iv: Uint8Array;
  tag: Uint8Array;
  ciphertext: Uint8Array;
}

export type OpenResult =
  | { ok: true; plaintext: string; keyId: string }
  | { ok: false; code: 'credential_key_unknown' | 'credential_tampered' };

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;

const decodeKey = (text: string): Uint8Array | undefined => {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  const bytes = Buffer.from(
    trimmed,
    trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64',
  );
  return bytes.length === 32 ? bytes : undefined;
};

/**
 * An id for a key given without one: a short digest of the key, so the same key always gets the
 * same id and never reveals it.
 */
const fingerprintId = (key: Uint8Array): string =>
  `k${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;

/**
 * Parses `TIDINGS_SECRET_KEY`: one key (32 bytes as base64 or hex), or comma-separated `id:key`
 * pairs, the first of which encrypts. Throws `StoreError` `invalid_secret_key`; the message never
 * contains key material.
 */
export const parseKeyRing = (value: string): KeyRing => {
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const keys: SecretKey[] = [];
  for (const [index, part] of parts.entries()) {
    const colon = part.indexOf(':');
    const id = colon === -1 ? undefined : part.slice(0, colon);
    const key = decodeKey(colon === -1 ? part : part.slice(colon + 1));
    if (key === undefined) {
      throw new StoreError(
        'invalid_secret_key',
        `TIDINGS_SECRET_KEY entry ${index + 1} is not 32 bytes of base64 or hex`,
      );
    }
    if (id !== undefined && !KEY_ID.test(id)) {
      throw new StoreError(
        'invalid_secret_key',
        `TIDINGS_SECRET_KEY entry ${index + 1} has an invalid key id (letters, digits, "_", ".", "-")`,
      );
    }
    const resolved = id ?? fingerprintId(key);
    if (keys.some((k) => k.id === resolved)) {
      throw new StoreError(
        'invalid_secret_key',
        `TIDINGS_SECRET_KEY lists key id "${resolved}" twice`,
      );
    }
    keys.push({ id: resolved, key });
  }
  const [current] = keys;
  if (current === undefined)
    throw new StoreError('invalid_secret_key', 'TIDINGS_SECRET_KEY is empty');
  return { current, keys };
};

/**
 * Binds a ciphertext to where it belongs, so a row copied onto another tenant or provider fails
 * authentication instead of decrypting.
 */
const associatedData = (tenantId: string, provider: string): Buffer =>
  Buffer.from(JSON.stringify(['tidings.credential.v1', tenantId, provider]), 'utf8');

/** Encrypts `plaintext` under the ring's current key with a fresh 96-bit IV. */
export const seal = (
  ring: KeyRing,
  tenantId: string,
  provider: string,
  plaintext: string,
): Sealed => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv);
  cipher.setAAD(associatedData(tenantId, provider));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId: ring.current.id, iv, tag: cipher.getAuthTag(), ciphertext };
};

const tryOpen = (key: Uint8Array, sealed: Sealed, aad: Buffer): string | undefined => {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
};

/**
 * Decrypts with the key named by the row; a row whose key id is not in the ring is tried against
 * every key (it may predate naming the keys). Authentication failure is `credential_tampered`.
 */
export const open = (
  ring: KeyRing,
  tenantId: string,
  provider: string,
  sealed: Sealed,
): OpenResult => {
  const aad = associatedData(tenantId, provider);
  const named = ring.keys.find((k) => k.id === sealed.keyId);
  if (named !== undefined) {
    const plaintext = tryOpen(named.key, sealed, aad);
    return plaintext === undefined
      ? { ok: false, code: 'credential_tampered' }
      : { ok: true, plaintext, keyId: named.id };
  }
  for (const candidate of ring.keys) {
    const plaintext = tryOpen(candidate.key, sealed, aad);
    if (plaintext !== undefined) return { ok: true, plaintext, keyId: candidate.id };
  }
  return { ok: false, code: 'credential_key_unknown' };
};
