/**
 * @module EasyPost's webhook signature: `X-Hmac-Signature` is `hmac-sha256-hex=` + hex(HMAC-SHA256
 * (UTF-8 of the NFKD-normalized webhook secret, raw body)), as EasyPost's own client checks it
 * (EasyPost/easypost-node `src/utils/util.js` `validateWebhook`).
 */
import { hmacSha256Hex, safeEqual } from '@tidings/http';

export const EASYPOST_SIGNATURE_HEADER = 'x-hmac-signature';
const PREFIX = 'hmac-sha256-hex=';

/** The header value EasyPost sends for `rawBody` under `secret`. */
export const easypostSignature = (secret: string, rawBody: Buffer | string): string =>
  PREFIX + hmacSha256Hex(Buffer.from(secret.normalize('NFKD'), 'utf8'), rawBody);

/** Whether `header` is the signature of `rawBody` under any of `secrets` (current, previous). */
export const verifyEasypost = (
  secrets: readonly string[],
  rawBody: Buffer,
  header: string | undefined,
): 'ok' | 'missing_signature' | 'bad_signature' => {
  if (header === undefined || header.trim() === '') return 'missing_signature';
  let ok = false;
  for (const s of secrets) ok = safeEqual(easypostSignature(s, rawBody), header.trim()) || ok;
  return ok ? 'ok' : 'bad_signature';
};
