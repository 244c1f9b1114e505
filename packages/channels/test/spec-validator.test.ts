import { afterEach, describe, expect, it } from 'vitest';
import { createKlaviyo } from '../src/klaviyo/klaviyo.ts';
import { createSendgridEmail } from '../src/sendgrid-email/sendgrid-email.ts';
import { createTwilioSms } from '../src/twilio-sms/twilio-sms.ts';
import { EMAIL, outbound, SMS } from './messages.ts';
import { type RecordedRequest, recordingFetch } from './recording-fetch.ts';
import { specsDir } from './shared-dir.ts';
import { loadSpec } from './spec-validator.ts';

/** Captures the request an adapter builds, unvalidated, so the test can alter it. */
const capture = async (
  send: (fetch: typeof globalThis.fetch) => Promise<unknown>,
): Promise<RecordedRequest> => {
  const recorder = recordingFetch([{ status: 500 }]);
  await send(recorder.fetch);
  const request = recorder.requests[0];
  if (request === undefined) throw new Error('no request was built');
  return request;
};

describe('spec validation catches a request that drifts from the contract', () => {
  it('Twilio: dropping the required To field fails CreateMessage', async () => {
    const spec = await loadSpec('twilio/twilio_api_v2010.json');
    const built = await capture((fetch) =>
      createTwilioSms({}, { fetch }).send(outbound(SMS, { to: '+15558675310' }), {
        accountSid: 'AC0123456789abcdef0123456789abcdef',
        authToken: 't',
        from: '+15017122661',
      }),
    );
    expect(spec.validate('CreateMessage', built)).toEqual([]);
    const form = new URLSearchParams(built.body);
    form.delete('To');
    expect(
      spec.validate('CreateMessage', { ...built, body: form.toString() }).join('\n'),
    ).toContain("must have required property 'To'");
  });

  it('Twilio: a malformed AccountSid in the path fails the path parameter pattern', async () => {
    const spec = await loadSpec('twilio/twilio_api_v2010.json');
    const built = await capture((fetch) =>
      createTwilioSms({}, { fetch }).send(outbound(SMS, { to: '+15558675310' }), {
        accountSid: 'AC0123456789abcdef0123456789abcdef',
        authToken: 't',
        from: '+15017122661',
      }),
    );
    const mutated = {
      ...built,
      url: built.url.replace('AC0123456789abcdef0123456789abcdef', 'ACshort'),
    };
    expect(spec.validate('CreateMessage', mutated).join('\n')).toMatch(
      /AccountSid|pattern|fewer than/,
    );
  });

  it('SendGrid: renaming personalizations or sending JSON as text fails SendMail', async () => {
    const spec = await loadSpec('sendgrid/tsg_mail_v3.json');
    const built = await capture((fetch) =>
      createSendgridEmail({}, { fetch }).send(outbound(EMAIL, { to: 'ana@example.com' }), {
        apiKey: 'SG.x',
        from: { email: 'orders@shop.example' },
      }),
    );
    expect(spec.validate('SendMail', built)).toEqual([]);
    const renamed = (built.body ?? '').replace('"personalizations"', '"personalisations"');
    expect(spec.validate('SendMail', { ...built, body: renamed }).join('\n')).toContain(
      "must have required property 'personalizations'",
    );
    const badAddress = (built.body ?? '').replace('ana@example.com', 'not-an-address');
    expect(spec.validate('SendMail', { ...built, body: badAddress }).join('\n')).toContain(
      'must match format "email"',
    );
    expect(
      spec
        .validate('SendMail', {
          ...built,
          headers: { ...built.headers, 'content-type': 'text/plain' },
        })
        .join('\n'),
    ).toContain('content-type text/plain');
    expect(
      spec
        .validate('SendMail', {
          ...built,
          headers: { ...built.headers, authorization: 'Token SG.x' },
        })
        .join('\n'),
    ).toContain('Bearer');
  });

  it('Klaviyo: dropping the required revision header fails create_event', async () => {
    const spec = await loadSpec('klaviyo/stable.json');
    const built = await capture((fetch) =>
      createKlaviyo({}, { fetch }).send(
        { ...outbound(EMAIL, { to: 'ana@example.com' }), channel: 'klaviyo' },
        { privateKey: 'pk_x' },
      ),
    );
    expect(spec.validate('create_event', built)).toEqual([]);
    const { revision: _dropped, ...headers } = built.headers;
    expect(spec.validate('create_event', { ...built, headers }).join('\n')).toContain(
      "must have required property 'revision'",
    );
    const noMetric = JSON.parse(built.body ?? '{}');
    delete noMetric.data.attributes.metric;
    expect(
      spec.validate('create_event', { ...built, body: JSON.stringify(noMetric) }).join('\n'),
    ).toContain("must have required property 'metric'");
  });
});

describe('the specs directory', () => {
  const saved = process.env.TIDINGS_SHARED_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.TIDINGS_SHARED_DIR;
    else process.env.TIDINGS_SHARED_DIR = saved;
  });

  it('fails loudly, naming the path and the override, when shared/ is missing', () => {
    process.env.TIDINGS_SHARED_DIR = '/nonexistent/shared';
    expect(() => specsDir()).toThrow(/\/nonexistent\/shared\/specs.*TIDINGS_SHARED_DIR/s);
  });
});
