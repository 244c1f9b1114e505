/** @module Tests of the order-aware filters in four languages, zones and across DST changes. */
import { describe, expect, it } from 'vitest';
import { createLiquidSandbox, parseTemplate, renderParsed } from './liquid-sandbox.ts';
import { ORDER_FILTERS, type RenderGlobals } from './template-filters.ts';

const sandbox = createLiquidSandbox({ filters: ORDER_FILTERS });

const render = (
  source: string,
  scope: object,
  settings: { locale?: string; language?: string; timeZone?: string } = {},
): string => {
  const parsed = parseTemplate(sandbox, source);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const locale = settings.locale ?? 'en';
  const globals: RenderGlobals = {
    locale,
    language: settings.language ?? locale.split('-')[0] ?? 'en',
    time_zone: settings.timeZone ?? 'UTC',
    rewrites: {},
  };
  const result = renderParsed(sandbox, parsed.templates, scope, globals);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.output;
};

const shipment = {
  carrier: 'DHL',
  tracking_number: '00340434161094042557',
  tracking_url: 'https://www.dhl.com/track?id=00340434161094042557',
};

describe('tracking_link', () => {
  it('gives the tracking URL when there is one', () => {
    expect(render('{{ s | tracking_link }}', { s: shipment })).toBe(shipment.tracking_url);
  });

  it.each([
    ['en', 'DHL tracking number 00340434161094042557'],
    ['es', 'DHL número de seguimiento 00340434161094042557'],
    ['fr', 'DHL numéro de suivi 00340434161094042557'],
    ['de', 'DHL Sendungsnummer 00340434161094042557'],
  ])('falls back to carrier and number in %s', (locale, expected) => {
    const s = { ...shipment, tracking_url: null };
    expect(render('{{ s | tracking_link }}', { s }, { locale })).toBe(expected);
  });

  it('renders nothing without a shipment or number', () => {
    expect(render('[{{ s | tracking_link }}]', { s: null })).toBe('[]');
    expect(render('[{{ s | tracking_link }}]', { s: { carrier: 'DHL' } })).toBe('[]');
  });
});

describe('items_phrase', () => {
  const whole = { is_split: false, is_last: false };
  const some = { is_split: true, is_last: false };
  const last = { is_split: true, is_last: true };

  it.each([
    ['en', 'your order', 'some items from your order', 'the last items of your order'],
    ['es', 'tu pedido', 'algunos artículos de tu pedido', 'los últimos artículos de tu pedido'],
    [
      'fr',
      'votre commande',
      'certains articles de votre commande',
      'les derniers articles de votre commande',
    ],
    [
      'de',
      'Ihre Bestellung',
      'einige Artikel Ihrer Bestellung',
      'die letzten Artikel Ihrer Bestellung',
    ],
  ])('words a whole, partial and final shipment in %s', (locale, a, b, c) => {
    const source = '{{ whole | items_phrase }}|{{ some | items_phrase }}|{{ last | items_phrase }}';
    expect(render(source, { whole, some, last }, { locale })).toBe(`${a}|${b}|${c}`);
  });

  it('capitalizes for the start of a sentence', () => {
    expect(render("{{ s | items_phrase: 'start' }}", { s: some })).toBe(
      'Some items from your order',
    );
  });

  it('uses English words for a language without a pack', () => {
    expect(render('{{ s | items_phrase }}', { s: whole }, { locale: 'it' })).toBe('your order');
  });
});

describe('items_summary', () => {
  it.each([
    ['en', 'Mug x2 and 2 more items'],
    ['es', 'Mug x2 y 2 artículos más'],
    ['fr', 'Mug x2 et 2 autres articles'],
    ['de', 'Mug x2 und 2 weitere Artikel'],
  ])('names the first item and counts the rest in %s', (locale, expected) => {
    const items = [
      { title: 'Mug', quantity: 2 },
      { title: 'Tea', quantity: 1 },
      { title: 'Spoon', quantity: 1 },
    ];
    expect(render('{{ items | items_summary }}', { items }, { locale })).toBe(expected);
  });

  it('skips untitled lines and renders nothing when none has a title', () => {
    expect(render('[{{ i | items_summary }}]', { i: [{ title: null, quantity: 1 }] })).toBe('[]');
    expect(
      render('{{ i | items_summary }}', {
        i: [
          { title: 'Mug', quantity: 1 },
          { title: 'Tea', quantity: 1 },
        ],
      }),
    ).toBe('Mug and Tea');
  });
});

describe('money', () => {
  const total = { amount: '1234.50', currency: 'EUR' };

  it.each([
    ['en-US', '€1,234.50'],
    ['es-ES', '1234,50 €'],
    ['fr-FR', '1 234,50 €'],
    ['de-DE', '1.234,50 €'],
    ['fr-CA', '1 234,50 €'],
  ])('formats in %s', (locale, expected) => {
    // Intl uses narrow no-break spaces in French; compare with plain spaces.
    expect(
      render('{{ t | money }}', { t: total }, { locale }).replace(/[\u202f\u00a0]/g, ' '),
    ).toBe(expected);
  });

  it('keeps every digit of a large decimal string', () => {
    const big = { amount: '12345678901234567.89', currency: 'USD' };
    expect(render('{{ t | money }}', { t: big })).toBe('$12,345,678,901,234,567.89');
  });

  it('renders nothing for a missing total', () => {
    expect(render('[{{ t | money }}]', { t: null })).toBe('[]');
  });
});

describe('local_date and local_time', () => {
  it.each([
    ['en', 'December 3, 2026'],
    ['es', '3 de diciembre de 2026'],
    ['fr', '3 décembre 2026'],
    ['de', '3. Dezember 2026'],
  ])('keeps a calendar date on its day in %s, whatever the zone', (locale, expected) => {
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      expect(render('{{ d | local_date }}', { d: '2026-12-03' }, { locale, timeZone })).toBe(
        expected,
      );
    }
  });

  it('moves an instant to the recipient zone before taking its date', () => {
    const d = '2026-11-28T02:30:00Z';
    expect(render('{{ d | local_date }}', { d }, { timeZone: 'America/Los_Angeles' })).toBe(
      'November 27, 2026',
    );
    expect(
      render("{{ d | local_date: 'short' }}", { d }, { locale: 'fr', timeZone: 'Europe/Paris' }),
    ).toBe('28/11/2026');
  });

  it('reads wall-clock time across the US spring-forward change', () => {
    const tz = { timeZone: 'America/New_York' };
    expect(render('{{ t | local_time }}', { t: '2026-03-08T06:30:00Z' }, tz)).toMatch(/^1:30\sAM$/);
    expect(render('{{ t | local_time }}', { t: '2026-03-08T07:30:00Z' }, tz)).toMatch(/^3:30\sAM$/);
  });

  it.each([
    ['en', /^1:30\sAM\|3:30\sAM$/],
    ['es', /^1:30\|3:30$/],
    ['fr', /^01:30\|03:30$/],
    ['de', /^01:30\|03:30$/],
  ])('reads wall-clock time across the EU change in %s', (locale, expected) => {
    const source = '{{ a | local_time }}|{{ b | local_time }}';
    // Europe/Paris moves from UTC+1 to UTC+2 at 01:00 UTC on 29 March 2026.
    const scope = { a: '2026-03-29T00:30:00Z', b: '2026-03-29T01:30:00Z' };
    expect(render(source, scope, { locale, timeZone: 'Europe/Paris' })).toMatch(expected);
  });

  it('reads the autumn change back the other way', () => {
    const scope = { a: '2026-10-25T00:30:00Z', b: '2026-10-25T01:30:00Z' };
    expect(
      render('{{ a | local_time }}|{{ b | local_time }}', scope, {
        locale: 'de',
        timeZone: 'Europe/Berlin',
      }),
    ).toBe('02:30|02:30');
  });

  it('fails on a value that is not ISO and on local_time of a bare date', () => {
    expect(() => render('{{ d | local_date }}', { d: 'next Tuesday' })).toThrow(/template_error/);
    expect(() => render('{{ d | local_time }}', { d: '2026-12-03' })).toThrow(/template_error/);
  });
});

describe('status_label and reason_label', () => {
  it.each([
    ['en', 'Out for delivery', 'failed delivery attempt'],
    ['es', 'En reparto', 'intento de entrega fallido'],
    ['fr', 'En cours de livraison', 'tentative de livraison échouée'],
    ['de', 'In Zustellung', 'Zustellversuch fehlgeschlagen'],
  ])('labels in %s', (locale, status, reason) => {
    const scope = { s: 'out_for_delivery', r: 'failed_attempt' };
    expect(render('{{ s | status_label }}/{{ r | reason_label }}', scope, { locale })).toBe(
      `${status}/${reason}`,
    );
  });
});
