/**
 * @module WooCommerce's built-in webhook signature (`WC_Webhook::generate_signature()`):
 * base64 HMAC-SHA256 of the raw body under the webhook secret, after WordPress's
 * `wp_specialchars_decode($secret, ENT_QUOTES)`.
 */
import { hmacSha256Base64, safeEqual } from '@tidings/http';

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"' };
const DECIMAL: Readonly<Record<number, string>> = { 38: '&', 60: '<', 62: '>', 34: '"', 39: "'" };
/** WordPress decodes only these three in hex (`&#x26;`, `&#x22;`, `&#x27;`). */
const HEX: Readonly<Record<number, string>> = { 38: '&', 34: '"', 39: "'" };

/**
 * `wp_specialchars_decode($s, ENT_QUOTES)`: only the five special characters, by name, in decimal
 * (any leading zeros) and, for `&`, `"` and `'`, in hex, exactly as WordPress does; so a secret a
 * merchant typed as `a&b` and one stored as `a&amp;b` sign alike, as they do in WooCommerce.
 */
export const wpSpecialcharsDecode = (value: string): string =>
  value.replace(
    /&(?:(amp|lt|gt|quot)|#0*(\d+)|#[xX]0*([0-9a-fA-F]+));/g,
    (match, name, dec, hex) => {
      if (name !== undefined) return NAMED[String(name)] ?? match;
      if (dec !== undefined) return DECIMAL[Number(dec)] ?? match;
      return HEX[Number.parseInt(String(hex), 16)] ?? match;
    },
  );

/** The `X-WC-Webhook-Signature` WooCommerce sends for `rawBody` under `secret`. */
export const wooWebhookSignature = (secret: string, rawBody: Uint8Array | string): string =>
  hmacSha256Base64(
    wpSpecialcharsDecode(secret),
    typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody),
  );

/** Whether `header` is WooCommerce's signature of `rawBody` under `secret` (constant time). */
export const verifyWooWebhookSignature = (
  secret: string,
  rawBody: Uint8Array,
  header: string,
): boolean => safeEqual(header.trim(), wooWebhookSignature(secret, rawBody));
