/** @module The store's failures: stable codes, returned as values or (where noted) thrown. */

export const STORE_ERROR_CODES = [
  // Opening and readiness (thrown by `openStore` / `migrate`, returned by `health`).
  'invalid_url',
  'invalid_secret_key',
  'unreachable',
  'migrations_pending',
  // Inside a transaction (thrown, so the whole transaction rolls back).
  'version_conflict',
  'unknown_tenant',
  // Values.
  'not_found',
  'lease_lost',
  'no_fallback_left',
  'tenant_in_use',
  'not_parked',
  'secret_key_missing',
  'credential_key_unknown',
  'credential_tampered',
  'invalid_cursor',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

/** An expected failure as a value: a stable `code` and a sentence free of secrets and personal data. */
export interface StoreFailure<C extends StoreErrorCode = StoreErrorCode> {
  code: C;
  message: string;
}

export type StoreResult<T, C extends StoreErrorCode> =
  | { ok: true; value: T }
  | { ok: false; error: StoreFailure<C> };

/**
 * The thrown form, for failures no caller can continue past (a store that cannot open) and for
 * conflicts inside `transaction`, where throwing is what rolls the transaction back.
 */
export class StoreError<C extends StoreErrorCode = StoreErrorCode> extends Error {
  readonly code: C;

  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** True when `error` is a `StoreError`, optionally with the given code. */
export const isStoreError = <C extends StoreErrorCode>(
  error: unknown,
  code?: C,
): error is StoreError<C> =>
  error instanceof StoreError && (code === undefined || error.code === code);

/** A failure value. */
export const failure = <C extends StoreErrorCode>(
  code: C,
  message: string,
): { ok: false; error: StoreFailure<C> } => ({ ok: false, error: { code, message } });
