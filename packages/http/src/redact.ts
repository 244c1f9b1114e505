/**
 * @module Personal data never reaches a log line: known personal or secret keys are masked, and
 * e-mail addresses and phone numbers are scrubbed from every string, wherever they appear.
 */

/** RFC 5322 local parts allow more than letters and dots; the domain needs one dot at least. */
const EMAIL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
/** International or long national numbers; short digit runs (order numbers, counts) survive. */
const PHONE = /(?:\+\d[\d\s().-]{6,}\d)|(?:\b\d{3}[\s.-]\d{3}[\s.-]\d{4}\b)/g;

/** Keys whose values are personal data or secrets, whatever they hold. */
const SENSITIVE_KEY =
  /^(authorization|cookie|set-cookie|password|secret|token|access_?token|refresh_?token|api_?key|client_?secret|signature|x-.*-signature.*|x-.*-hmac.*|email|e_?mail|phone|mobile|tel|sms|whatsapp|name|first_?name|last_?name|full_?name|address.*|street|city|zip|postal_?code|postcode|billing_address|shipping_address|customer|recipients?|contacts?|to|from|body|raw_?body)$/i;

/** Masks e-mail addresses and phone numbers inside free text. */
export const scrubText = (text: string): string =>
  String(text).replace(EMAIL, '[email]').replace(PHONE, '[phone]');

/** A deep copy of `value` with sensitive keys masked and personal data scrubbed from strings. */
export const redactPersonalData = (value: unknown, depth = 0): unknown => {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redactPersonalData(v, depth + 1));
  if (value instanceof Error) {
    return { type: value.name, message: scrubText(String(value.message)) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) ? '[redacted]' : redactPersonalData(v, depth + 1);
  }
  return out;
};
