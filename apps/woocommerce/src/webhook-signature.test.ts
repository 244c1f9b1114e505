import { describe, expect, it } from 'vitest';
import {
  verifyWooWebhookSignature,
  wooWebhookSignature,
  wpSpecialcharsDecode,
} from './webhook-signature.ts';

describe('WooCommerce built-in webhook signatures', () => {
  it('reproduces WooCommerce’s own unit-test value (empty secret, payload "secret")', () => {
    // woocommerce/woocommerce plugins/woocommerce/tests/legacy/unit-tests/webhooks/crud.php
    expect(wooWebhookSignature('', 'secret')).toBe('GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs=');
    expect(
      verifyWooWebhookSignature(
        '',
        Buffer.from('secret'),
        'GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs=',
      ),
    ).toBe(true);
  });

  it('decodes the secret like wp_specialchars_decode(ENT_QUOTES) and nothing more', () => {
    expect(wpSpecialcharsDecode('a&amp;b&lt;c&gt;d&quot;e&#039;f&#x27;g&#38;h&#0038;i')).toBe(
      "a&b<c>d\"e'f'g&h&i",
    );
    expect(wpSpecialcharsDecode('&eacute;&#233;&#x3c;&AMP;')).toBe('&eacute;&#233;&#x3c;&AMP;');
  });

  it('verifies a body signed with an entity-decoded secret, in constant time', () => {
    const body = Buffer.from('{"id":1}');
    const signed = wooWebhookSignature('s&s', body);
    expect(verifyWooWebhookSignature('s&amp;s', body, signed)).toBe(true);
    expect(verifyWooWebhookSignature('s&s', Buffer.from('{"id":2}'), signed)).toBe(false);
    expect(verifyWooWebhookSignature('s&s', body, 'short')).toBe(false);
  });
});
