import { Signature } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import {
  hubspotSignatureV3,
  hubspotSignedUri,
  type SignedRequest,
  verifyHubspotRequest,
} from './request-signature.ts';

// The secret, URL and body of HubSpot's own published examples (request-validation docs and the
// `@hubspot/api-client` signature tests); HubSpot publishes no fixed-clock v3 digest, so the v3
// vector is pinned below and cross-checked against the SDK's own `Signature.getSignature` and
// against `openssl dgst -sha256 -hmac` over the same string.
const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const URL = 'https://www.example.com/webhook_uri';
const BODY = '{"example_field":"example_value"}';
const TS = '1700000000000';
const V3 = hubspotSignatureV3(SECRET, 'POST', URL, BODY, TS);

const request = (over: Partial<SignedRequest> = {}, headers: SignedRequest['headers'] = {}) => ({
  method: 'POST',
  uri: URL,
  rawBody: Buffer.from(BODY),
  headers: { 'x-hubspot-signature-v3': V3, 'x-hubspot-request-timestamp': TS, ...headers },
  ...over,
});
const now = Number(TS) + 1_000;

describe('HubSpot v3 signatures', () => {
  it('matches the digest the HubSpot SDK computes for its published example', () => {
    const sdk = Signature.getSignature('POST', 'v3', {
      signature: '',
      clientSecret: SECRET,
      requestBody: BODY,
      url: URL,
      timestamp: Number(TS),
    });
    expect(V3).toBe(sdk);
    expect(V3).toBe('rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=');
  });

  it('accepts the example with its clock, up to five minutes later', () => {
    expect(verifyHubspotRequest(request(), { clientSecret: SECRET, now })).toEqual({
      ok: true,
      version: 'v3',
    });
    expect(
      verifyHubspotRequest(request(), { clientSecret: SECRET, now: Number(TS) + 300_000 }).ok,
    ).toBe(true);
  });

  it('rejects a changed body', () => {
    const r = verifyHubspotRequest(request({ rawBody: Buffer.from(`${BODY} `) }), {
      clientSecret: SECRET,
      now,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_signature' } });
  });

  it('rejects a changed URI, method or secret', () => {
    for (const [over, secret] of [
      [{ uri: `${URL}?x=1` }, SECRET],
      [{ uri: 'https://evil.example.com/webhook_uri' }, SECRET],
      [{ method: 'PUT' }, SECRET],
      [{}, 'another-secret'],
    ] as const) {
      const r = verifyHubspotRequest(request(over), { clientSecret: secret, now });
      expect(r).toMatchObject({ ok: false, error: { code: 'bad_signature' } });
    }
  });

  it('rejects a timestamp older than five minutes, or as far in the future', () => {
    for (const at of [Number(TS) + 300_001, Number(TS) - 300_001]) {
      const r = verifyHubspotRequest(request(), { clientSecret: SECRET, now: at });
      expect(r).toMatchObject({ ok: false, error: { code: 'stale_request' } });
    }
  });

  it('rejects a request with no signature, or no timestamp', () => {
    const none = verifyHubspotRequest({ ...request(), headers: {} }, { clientSecret: SECRET, now });
    expect(none).toMatchObject({ ok: false, error: { code: 'missing_signature' } });
    const noTs = verifyHubspotRequest(request({}, { 'x-hubspot-request-timestamp': undefined }), {
      clientSecret: SECRET,
      now,
    });
    expect(noTs).toMatchObject({ ok: false, error: { code: 'missing_signature' } });
  });

  it('hashes the URI with the percent-encodings HubSpot lists decoded', () => {
    const encoded = 'https://hub.example.com/hubspot/actions/notify?ref=a%3Ab%2Cc%20d';
    expect(hubspotSignedUri(encoded)).toBe(
      'https://hub.example.com/hubspot/actions/notify?ref=a:b,c%20d',
    );
    const sig = hubspotSignatureV3(SECRET, 'POST', hubspotSignedUri(encoded), BODY, TS);
    const r = verifyHubspotRequest(request({ uri: encoded }, { 'x-hubspot-signature-v3': sig }), {
      clientSecret: SECRET,
      now,
    });
    expect(r.ok).toBe(true);
  });
});

describe('HubSpot v2 signatures', () => {
  const v2 = (sig: string, method: string, body: string) => ({
    method,
    uri: URL,
    rawBody: Buffer.from(body),
    headers: { 'x-hubspot-signature': sig, 'x-hubspot-signature-version': 'v2' },
  });
  // Both digests are printed in HubSpot's v2 request-validation docs.
  const GET_SIG = 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e';
  const POST_SIG = '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900';

  it("accepts HubSpot's published v2 examples only when v2 is allowed", () => {
    expect(
      verifyHubspotRequest(v2(GET_SIG, 'GET', ''), { clientSecret: SECRET, now, allowV2: true }),
    ).toEqual({ ok: true, version: 'v2' });
    expect(
      verifyHubspotRequest(v2(POST_SIG, 'POST', BODY), {
        clientSecret: SECRET,
        now,
        allowV2: true,
      }),
    ).toEqual({ ok: true, version: 'v2' });
    expect(
      verifyHubspotRequest(v2(POST_SIG, 'POST', BODY), { clientSecret: SECRET, now }),
    ).toMatchObject({ ok: false, error: { code: 'missing_signature' } });
  });

  it('rejects a v2 signature over a changed body', () => {
    const r = verifyHubspotRequest(v2(POST_SIG, 'POST', '{}'), {
      clientSecret: SECRET,
      now,
      allowV2: true,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_signature' } });
  });
});
