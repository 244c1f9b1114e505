/** @module Tests of locale fallback, tenant overrides, compliance variants and error codes. */
import { describe, expect, it } from 'vitest';
import type { Rewrite } from '../compliance/compliance-types.ts';
import { localeChain, type RenderResult, renderTemplate } from './render.ts';
import { sampleContext } from './template-fixtures.ts';
import type {
  Rendering,
  RenderRequest,
  TemplateChannel,
  TemplateOverrides,
} from './template-types.ts';

const request = (patch: Partial<RenderRequest> = {}): RenderRequest => ({
  templateKey: 'dispatched',
  channel: 'sms',
  locale: 'en',
  timeZone: 'America/New_York',
  rewrites: [],
  context: sampleContext('dispatched'),
  ...patch,
});

const ok = (result: RenderResult): { rendering: Rendering; locale: string } => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result;
};

/** The customer-visible text of a rendering, whatever the channel. */
const textOf = (rendering: Rendering): string => {
  switch (rendering.channel) {
    case 'sms':
      return rendering.text;
    case 'email':
      return `${rendering.subject}\n${rendering.text}\n${rendering.html}`;
    case 'whatsapp':
      return [rendering.text, ...rendering.bodyParameters, ...rendering.headerParameters].join(
        '\n',
      );
    case 'push':
      return `${rendering.title}\n${rendering.body}`;
    default:
      return JSON.stringify(rendering);
  }
};

const render = (patch: Partial<RenderRequest>): string =>
  textOf(ok(renderTemplate(request(patch))).rendering);

describe('localeChain', () => {
  it('tries the exact tag, then its language, then English', () => {
    expect(localeChain('fr-CA')).toEqual(['fr-CA', 'fr', 'en']);
    expect(localeChain('zh-Hant-TW')).toEqual(['zh-Hant-TW', 'zh-Hant', 'zh', 'en']);
    expect(localeChain('en')).toEqual(['en']);
    expect(localeChain('not a tag!')).toEqual(['en']);
  });
});

describe('renderTemplate', () => {
  it('falls back from fr-CA to fr and reports the locale used', () => {
    const result = ok(renderTemplate(request({ locale: 'fr-CA' })));
    expect(result.locale).toBe('fr');
    expect(textOf(result.rendering)).toContain('Nous avons expédié votre commande #1001');
  });

  it('falls back from an unknown language to English', () => {
    const result = ok(renderTemplate(request({ locale: 'xx' })));
    expect(result.locale).toBe('en');
    expect(textOf(result.rendering)).toContain("We've shipped your order #1001");
  });

  it('formats money in the recipient locale even when the copy falls back', () => {
    const context = sampleContext('created');
    expect(render({ templateKey: 'created', locale: 'fr-CA', context })).toContain('1 234,50 €');
    expect(render({ templateKey: 'created', locale: 'de-CH', context })).toMatch(
      /EUR.1['’]234\.50/,
    );
    expect(render({ templateKey: 'created', locale: 'xx', context })).toContain('€1,234.50');
  });

  it('lets a tenant override win over the pack at each fallback step', () => {
    const overrides: TemplateOverrides = {
      dispatched: {
        sms: {
          'fr-CA': { text: 'Québec: {{ order.number }} est parti!' },
          fr: { text: 'France: {{ order.number }}' },
        },
      },
    };
    expect(ok(renderTemplate(request({ locale: 'fr-CA', overrides }))).rendering).toMatchObject({
      text: 'Québec: #1001 est parti!',
    });
    const fr = ok(renderTemplate(request({ locale: 'fr-FR', overrides })));
    expect(fr.locale).toBe('fr');
    expect(textOf(fr.rendering)).toBe('France: #1001');
    // English has no override: the pack's copy.
    expect(render({ locale: 'en', overrides })).toContain("We've shipped");
  });

  it('merges an override that replaces one part with the pack parts of that locale', () => {
    const overrides: TemplateOverrides = {
      dispatched: { email: { en: { subject: 'Your {{ shop_name }} parcel is coming' } } },
    };
    const result = ok(renderTemplate(request({ channel: 'email', overrides })));
    expect(result.rendering).toMatchObject({
      subject: 'Your Maison Lumière parcel is coming',
      text: expect.stringContaining("We've shipped"),
    });
  });

  it('renders a tenant-only key and reports a missing one as template_not_found', () => {
    const overrides: TemplateOverrides = {
      review_request: {
        push: { en: { title: 'How was it?', body: 'Rate order {{ order.number }}' } },
      },
    };
    expect(render({ templateKey: 'review_request', channel: 'push', overrides })).toBe(
      'How was it?\nRate order #1001',
    );
    const missing = renderTemplate(
      request({ templateKey: 'review_request', channel: 'sms', overrides }),
    );
    expect(missing).toMatchObject({ ok: false, error: { code: 'template_not_found' } });
    const partial = renderTemplate(
      request({
        templateKey: 'custom',
        channel: 'email',
        overrides: { custom: { email: { en: { subject: 'Hi' } } } },
      }),
    );
    expect(partial).toMatchObject({ ok: false, error: { code: 'template_not_found' } });
  });

  it.each([
    ['{{ order.constructor }}', 'template_error'],
    ['{{ order.__proto__ }}', 'template_error'],
    ["{% include 'secrets' %}", 'template_not_found'],
    ['{% for i in (1..100000000) %}{{ i }}{% endfor %}', 'render_limit'],
    ['{% for i in (1..300) %}{{ order.number }} is on its way. {% endfor %}', 'output_too_large'],
    ['{{ order.numbr }}', 'template_error'],
    ['{{ shop_name | no_such_filter }}', 'template_error'],
    ['{% if %}', 'template_error'],
    ['   ', 'template_error'],
  ])('fails the tenant SMS template %s with %s', (text, code) => {
    const overrides: TemplateOverrides = { dispatched: { sms: { en: { text } } } };
    expect(renderTemplate(request({ overrides }))).toMatchObject({ ok: false, error: { code } });
  });

  it('returns SMS segments for every SMS rendering', () => {
    const { rendering } = ok(renderTemplate(request()));
    expect(rendering).toMatchObject({
      channel: 'sms',
      segments: { encoding: 'GSM-7', segments: 1, characters: expect.any(Number) },
    });
  });

  it('names the WhatsApp template tidings_<key> with Meta language codes and ordered parameters', () => {
    const { rendering } = ok(renderTemplate(request({ channel: 'whatsapp', locale: 'de-AT' })));
    expect(rendering).toMatchObject({
      templateName: 'tidings_dispatched',
      language: 'de',
      headerParameters: ['Maison Lumière'],
      bodyParameters: ['#1001', expect.stringContaining('versandt')],
    });
    const internal = renderTemplate(
      request({
        channel: 'whatsapp',
        locale: 'pt-BR',
        overrides: {
          dispatched: {
            whatsapp: {
              'pt-BR': {
                text: 'Enviado',
                'body.2': 'b',
                'body.1': 'a',
                'body.10': 'c',
                template_name: 'my_tpl',
              },
            },
          },
        },
      }),
    );
    expect(ok(internal).rendering).toMatchObject({
      templateName: 'my_tpl',
      language: 'pt_BR',
      bodyParameters: ['a', 'b', 'c'],
    });
  });

  it('builds Slack, Teams and Chat payloads from text, escaping what each one treats as markup', () => {
    const context = { ...sampleContext('dispatched'), shop_name: '<Acme & Co>' };
    const overrides: TemplateOverrides = {
      dispatched: {
        slack: { en: { title: 'T', body: '{{ shop_name }} <!channel>' } },
        google_chat: { en: { title: 'T', body: '{{ shop_name }}' } },
        teams: { en: { title: '{{ shop_name }}', body: '"quoted"' } },
      },
    };
    const slack = ok(renderTemplate(request({ channel: 'slack', context, overrides }))).rendering;
    expect(JSON.stringify(slack)).toContain('&lt;Acme &amp; Co&gt; &lt;!channel&gt;');
    const chat = ok(
      renderTemplate(request({ channel: 'google_chat', context, overrides })),
    ).rendering;
    expect(JSON.stringify(chat)).toContain('&lt;Acme &amp; Co&gt;');
    const teams = ok(renderTemplate(request({ channel: 'teams', context, overrides }))).rendering;
    expect(teams).toMatchObject({
      card: { type: 'AdaptiveCard', body: [{ text: '<Acme & Co>' }, { text: '"quoted"' }, {}] },
    });
  });

  it('escapes context values in e-mail HTML', () => {
    const context = { ...sampleContext('created'), shop_name: '<script>x</script>' };
    const { rendering } = ok(
      renderTemplate(request({ templateKey: 'created', channel: 'email', context })),
    );
    const html = rendering.channel === 'email' ? rendering.html : '';
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });

  describe('rewrites', () => {
    const customerChannels: TemplateChannel[] = ['sms', 'whatsapp', 'push'];

    it.each(customerChannels)('generic_items removes every item name from %s', (channel) => {
      for (const key of ['created', 'dispatched', 'delivered'] as const) {
        const context = sampleContext(key);
        const plain = render({ templateKey: key, channel, context });
        const generic = render({ templateKey: key, channel, context, rewrites: ['generic_items'] });
        if (key !== 'created' || channel !== 'push') expect(plain).toContain('Blue Ceramic Mug');
        expect(generic).not.toMatch(/Blue Ceramic Mug|Loose Leaf Tea/);
      }
    });

    it('generic_items keeps a tenant template from naming items on SMS', () => {
      const overrides: TemplateOverrides = {
        dispatched: {
          sms: {
            en: { text: '{% for i in order.items %}{{ i.title }};{% endfor %}{{ order.number }}' },
          },
        },
      };
      expect(render({ overrides, rewrites: ['generic_items'] })).toBe(';;#1001');
    });

    it('neutral_hold tells the customer only that the order is being reviewed', () => {
      const payment = sampleContext('on_hold');
      expect(render({ templateKey: 'on_hold', context: payment })).toContain('payment');
      const neutral = render({
        templateKey: 'on_hold',
        context: payment,
        rewrites: ['neutral_hold'],
      });
      expect(neutral).toContain('is being reviewed');
      expect(neutral).not.toMatch(/payment/i);
    });

    it.each(['en', 'es', 'fr', 'de'])(
      'a regulatory hold is neutral for customers in %s, detailed for staff',
      (locale) => {
        const context = sampleContext('on_hold', {
          patch: { overlay: { kind: 'on_hold', reason: 'regulatory' } },
        });
        const customer = render({ templateKey: 'on_hold', locale, context });
        expect(customer).not.toMatch(/regula|normativ|réglementaire|behördlich/i);
        const staff = render({
          templateKey: 'internal.regulatory_hold',
          channel: 'email',
          locale,
          context,
        });
        expect(staff).toMatch(/regula|normativ|réglementaire|behördlich/i);
      },
    );

    it('ftc_delay_notice states the revised date, or that it is unknown, and the cancel link', () => {
      const unknown = sampleContext('delayed');
      const plain = render({ templateKey: 'delayed', context: unknown });
      expect(plain).not.toContain('cancel');
      const notice = render({
        templateKey: 'delayed',
        context: unknown,
        rewrites: ['ftc_delay_notice'],
      });
      expect(notice).toContain("We don't know the new delivery date yet");
      expect(notice).toContain('https://shop.example/orders/1001/cancel');
      const dated = sampleContext('delayed', {
        patch: { overlay: { kind: 'delayed', reason: 'carrier', promisedDate: '2026-12-10' } },
      });
      const withDate = render({
        templateKey: 'delayed',
        context: dated,
        rewrites: ['ftc_delay_notice'] as Rewrite[],
      });
      expect(withDate).toContain('New expected date: December 10, 2026');
      expect(withDate).toContain('cancel for a full refund');
    });

    it('eu_withdrawal_notice states the withdrawal deadline on delivered and completed', () => {
      for (const key of ['delivered', 'completed'] as const) {
        const context = sampleContext(key);
        expect(render({ templateKey: key, context })).not.toContain('withdraw');
        expect(render({ templateKey: key, context, rewrites: ['eu_withdrawal_notice'] })).toContain(
          'You may withdraw from this purchase until December 12, 2026',
        );
        expect(
          render({ templateKey: key, locale: 'de', context, rewrites: ['eu_withdrawal_notice'] }),
        ).toContain('bis zum 12. Dezember 2026 widerrufen');
      }
    });
  });
});
