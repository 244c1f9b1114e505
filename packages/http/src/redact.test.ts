import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactPersonalData, scrubText } from './redact.ts';

describe('redaction', () => {
  it('masks sensitive keys at any depth and scrubs e-mails and phones from strings', () => {
    expect(
      redactPersonalData({
        order: { number: '#1001', total: '42.50', shipping_address: { city: 'Lyon' } },
        recipients: [{ email: 'x@y.fr' }],
        note: 'ring +33 6 12 34 56 78 or mail z@q.io about order 1001',
      }),
    ).toEqual({
      order: { number: '#1001', total: '42.50', shipping_address: '[redacted]' },
      recipients: '[redacted]',
      note: 'ring [phone] or mail [email] about order 1001',
    });
  });

  it('scrubs every generated e-mail address', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        expect(scrubText(`contact ${email} now`)).not.toContain(email);
      }),
    );
  });
});
