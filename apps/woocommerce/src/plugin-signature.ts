/**
 * @module The signing scheme shared by the WordPress plugin (PHP, `class-tidings-signer.php`) and
 * the companion endpoint: `v1=` + hex HMAC-SHA256, under the site's secret, of
 * `{timestamp}.{deliveryId}.{body}`. Test vectors in `test/fixtures/signing-vectors.json` are
 * checked against both implementations, so the two cannot drift apart.
 */
import { hmacSha256Hex, isFresh, safeEqual } from '@tidings/http';

export const PLUGIN_SIGNATURE_VERSION = 'v1';

/** Request headers the plugin sends (lower-case, as Node exposes them). */
export const PLUGIN_HEADERS = {
  site: 'x-tidings-site',
  timestamp: 'x-tidings-timestamp',
  delivery: 'x-tidings-delivery',
  signature: 'x-tidings-signature',
} as const;

/** A delivery id: the plugin's UUID v4, stable across retries of one delivery. */
export const DELIVERY_ID_PATTERN = /^[A-Za-z0-9-]{8,64}$/;
/** Unix seconds, as PHP's `time()` gives them. */
export const TIMESTAMP_PATTERN = /^\d{9,11}$/;

/** How far a signing timestamp may be from our clock, either side; the plugin signs each attempt anew. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The exact bytes that are signed. */
export const pluginSigningInput = (
  timestamp: string,
  deliveryId: string,
  body: string | Uint8Array,
): Buffer =>
  Buffer.concat([
    Buffer.from(`${timestamp}.${deliveryId}.`, 'utf8'),
    typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  ]);

/** The `X-Tidings-Signature` value for one request. */
export const signPluginRequest = (
  secret: string,
  timestamp: string,
  deliveryId: string,
  body: string | Uint8Array,
): string =>
  `${PLUGIN_SIGNATURE_VERSION}=${hmacSha256Hex(secret, pluginSigningInput(timestamp, deliveryId, body))}`;

export type PluginSignatureError = {
  code: 'bad_signature' | 'stale_request';
  message: string;
};

export interface PluginSignatureInput {
  secret: string;
  timestamp: string;
  deliveryId: string;
  /** The header as received; several comma-separated `v1=` values are allowed. */
  signature: string;
  body: Uint8Array;
  nowMs: number;
  toleranceSeconds: number;
}

/**
 * Verifies a plugin request: the signature first (so an unsigned caller learns nothing about our
 * clock), then the timestamp's freshness.
 */
export const verifyPluginSignature = (
  input: PluginSignatureInput,
): { ok: true } | { ok: false; error: PluginSignatureError } => {
  const expected = signPluginRequest(input.secret, input.timestamp, input.deliveryId, input.body);
  const given = input.signature
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith(`${PLUGIN_SIGNATURE_VERSION}=`));
  if (!given.some((s) => safeEqual(s, expected))) {
    return {
      ok: false,
      error: {
        code: 'bad_signature',
        message: 'The signature does not match the body, timestamp and delivery id for this site.',
      },
    };
  }
  if (
    !TIMESTAMP_PATTERN.test(input.timestamp) ||
    !isFresh(input.timestamp, input.nowMs, input.toleranceSeconds * 1000)
  ) {
    return {
      ok: false,
      error: {
        code: 'stale_request',
        message: `The signing timestamp is more than ${input.toleranceSeconds} s from our clock; check the site's clock.`,
      },
    };
  }
  return { ok: true };
};
