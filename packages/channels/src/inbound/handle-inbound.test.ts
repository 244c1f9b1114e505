import { checkConsent } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../../test/conformance.ts';
import { outbound, SMS } from '../../test/messages.ts';
import { recordingFetch } from '../../test/recording-fetch.ts';
import type { InboundMessage } from '../core-contract.ts';
import { createTwilioSms } from '../twilio-sms/twilio-sms.ts';
import { consentFromSendFailure, handleInbound } from './handle-inbound.ts';

const context = {
  brand: 'Shop',
  helpContact: 'support@shop.example',
  tenantId: 'shop-42',
  channel: 'sms' as const,
};
const reply = (text: string): InboundMessage => ({
  from: '+15558675310',
  to: '+15017122661',
  text,
  at: TEST_NOW,
  providerMessageId: 'SM1',
});

describe('handleInbound', () => {
  it('turns STOP into an opt-out for the sender on that channel', () => {
    expect(handleInbound(reply('Stop'), context)).toEqual({
      consent: {
        tenantId: 'shop-42',
        channel: 'sms',
        contact: '+15558675310',
        state: 'opted_out',
        scope: 'all',
        at: TEST_NOW,
        source: 'keyword',
      },
    });
  });

  it('turns START into an opt-in', () => {
    expect(handleInbound(reply('START'), context).consent?.state).toBe('opted_in');
  });

  it('answers HELP once with the brand and contact, changing no consent', () => {
    const outcome = handleInbound(reply('help'), context);
    expect(outcome.consent).toBeUndefined();
    expect(outcome.reply).toContain('Shop');
    expect(outcome.reply).toContain('support@shop.example');
  });

  it('ignores ordinary replies', () => {
    expect(handleInbound(reply('Thanks, see you Tuesday'), context)).toEqual({});
  });
});

describe('a Twilio 21610', () => {
  it('marks the contact opted out, and later SMS intents to it are suppressed with a reason', async () => {
    const recorder = recordingFetch([
      {
        status: 400,
        body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 },
      },
    ]);
    const channel = createTwilioSms({}, { fetch: recorder.fetch });
    const message = outbound(SMS, { to: '+15558675310' });
    const result = await channel.send(message, {
      accountSid: 'AC0123456789abcdef0123456789abcdef',
      authToken: 't',
      from: '+15017122661',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const consent = consentFromSendFailure(result.error, {
      tenantId: 'shop-42',
      channel: 'sms',
      contact: '+15558675310',
      at: TEST_NOW,
    });
    expect(consent).toMatchObject({ state: 'opted_out', scope: 'all', source: 'provider' });
    const decision = checkConsent({
      tenantId: 'shop-42',
      channel: 'sms',
      contact: '+15558675310',
      messageClass: 'transactional',
      consents: consent === undefined ? [] : [consent],
      explicitConsentChannels: [],
      whatsappWindowOpen: false,
    });
    expect(decision).toMatchObject({ allowed: false, reason: 'consent_opted_out' });
  });
});
