/**
 * @module `X-Twilio-Signature`: base64 HMAC-SHA1, keyed with the Auth Token, over the URL as
 * configured followed by every posted name and value in sorted order (twilio-node's algorithm).
 */
import { createHash, createHmac } from 'node:crypto';
import { safeEqual } from '../signatures/constant-time.ts';

/** The string Twilio signs: the URL, then each name+value with names and repeated values sorted. */
export const twilioSignedString = (
  url: string,
  params: ReadonlyArray<readonly [string, string]>,
): string => {
  const byName = new Map<string, string[]>();
  for (const [name, value] of params) byName.set(name, [...(byName.get(name) ?? []), value]);
  let out = url;
  for (const name of [...byName.keys()].sort()) {
    // A repeated name contributes one pair per distinct value, values sorted (twilio-node).
    for (const value of [...new Set(byName.get(name))].sort()) out += name + value;
  }
  return out;
};

const sign = (authToken: string, data: string): string =>
  createHmac('sha1', authToken).update(data, 'utf8').digest('base64');

/** The URL with its port rewritten, written out by hand because `URL` drops default ports. */
const withPort = (url: URL, port: string): string => {
  const auth =
    url.username === '' ? '' : `${url.username}${url.password === '' ? '' : `:${url.password}`}@`;
  return `${url.protocol}//${auth}${url.hostname}${port === '' ? '' : `:${port}`}${url.pathname}${url.search}`;
};

/** Proxies add or drop default ports; twilio-node accepts the URL either way, and so do we. */
const urlVariants = (raw: string): string[] => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [raw];
  }
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  return [
    ...new Set([raw, withPort(url, ''), withPort(url, url.port === '' ? defaultPort : url.port)]),
  ];
};

export interface TwilioSignatureInput {
  authToken: string;
  /** The full URL Twilio was configured to call, query string included. */
  url: string;
  /** The posted form fields, exactly as received (empty for JSON bodies). */
  params: ReadonlyArray<readonly [string, string]>;
  signature: string | undefined;
  /** The raw body, needed when the URL carries `bodySHA256` (JSON webhooks). */
  rawBody?: string;
}

/** Returns whether `X-Twilio-Signature` matches, accepting the URL with or without its default port. */
export const verifyTwilioSignature = (input: TwilioSignatureInput): boolean => {
  const { signature, authToken } = input;
  if (signature === undefined || signature === '' || authToken === '') return false;
  const bodyHash = bodySha256Param(input.url);
  if (bodyHash !== undefined) {
    // JSON bodies: the URL (with its bodySHA256) is signed alone and the body hash checked apart.
    const actual = createHash('sha256')
      .update(input.rawBody ?? '', 'utf8')
      .digest('hex');
    if (!safeEqual(actual, bodyHash)) return false;
    return urlVariants(input.url).some((u) => safeEqual(sign(authToken, u), signature));
  }
  return urlVariants(input.url).some((u) =>
    safeEqual(sign(authToken, twilioSignedString(u, input.params)), signature),
  );
};

const bodySha256Param = (url: string): string | undefined => {
  try {
    return new URL(url).searchParams.get('bodySHA256') ?? undefined;
  } catch {
    return undefined;
  }
};
