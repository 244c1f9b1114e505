/** @module Every default template renders, for every status or alert × channel × language. */
import { describe, expect, it } from 'vitest';
import { CANONICAL_STATUSES, type CanonicalStatus } from '../statuses.ts';
import {
  DEFAULT_TEMPLATE_PACK,
  defaultTemplateChannels,
  defaultTemplateKeys,
  defaultTemplateParts,
  INTERNAL_TEMPLATE_CHANNELS,
} from './pack/default-pack.ts';
import { INTERNAL_TEMPLATE_NAMES } from './pack/pack-types.ts';
import { renderTemplate } from './render.ts';
import { sampleContext } from './template-fixtures.ts';
import {
  type Rendering,
  TEMPLATE_CHANNELS,
  TEMPLATE_LOCALES,
  type TemplateChannel,
} from './template-types.ts';

const STATUS_CASES = CANONICAL_STATUSES.flatMap((status) =>
  TEMPLATE_CHANNELS.flatMap((channel) =>
    TEMPLATE_LOCALES.map((locale) => ({ key: status as string, status, channel, locale })),
  ),
);

const INTERNAL_STATUS: Record<(typeof INTERNAL_TEMPLATE_NAMES)[number], CanonicalStatus> = {
  on_hold: 'on_hold',
  delayed: 'delayed',
  exception: 'exception',
  regulatory_hold: 'on_hold',
};

const INTERNAL_CASES = INTERNAL_TEMPLATE_NAMES.flatMap((name) =>
  INTERNAL_TEMPLATE_CHANNELS.flatMap((channel) =>
    TEMPLATE_LOCALES.map((locale) => ({
      key: `internal.${name}`,
      status: INTERNAL_STATUS[name],
      channel: channel as TemplateChannel,
      locale,
    })),
  ),
);

/** Every string anywhere in the rendering, for "nothing left unrendered" checks. */
const stringsOf = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsOf);
  return [];
};

const expectValidStructure = (rendering: Rendering): void => {
  switch (rendering.channel) {
    case 'sms':
      expect(rendering.text).not.toBe('');
      expect(rendering.segments.segments).toBeGreaterThanOrEqual(1);
      expect(rendering.segments.characters).toBeGreaterThan(0);
      break;
    case 'email':
      expect(rendering.subject).not.toBe('');
      expect(rendering.text).not.toBe('');
      expect(rendering.html).toMatch(/^<!doctype html>.*<\/html>$/s);
      break;
    case 'whatsapp':
      expect(rendering.templateName).toMatch(/^tidings_[a-z_]+$/);
      expect(rendering.language).toMatch(/^[a-z]{2}(_[A-Z]{2})?$/);
      expect(rendering.text).not.toBe('');
      expect(rendering.bodyParameters.length).toBeGreaterThan(0);
      for (const p of [...rendering.bodyParameters, ...rendering.headerParameters]) {
        expect(p).not.toBe('');
        expect(p).not.toMatch(/\n|\t| {5}/);
      }
      break;
    case 'slack':
      expect(rendering.text).not.toBe('');
      expect(rendering.blocks.length).toBeGreaterThan(0);
      for (const block of rendering.blocks) {
        expect(block).toEqual(expect.objectContaining({ type: expect.any(String) }));
      }
      break;
    case 'teams':
      expect(rendering.card).toEqual(
        expect.objectContaining({ type: 'AdaptiveCard', version: '1.5', body: expect.any(Array) }),
      );
      break;
    case 'google_chat':
      expect(rendering.text).not.toBe('');
      expect(rendering.cardsV2.length).toBeGreaterThan(0);
      for (const entry of rendering.cardsV2) {
        expect(entry).toEqual(
          expect.objectContaining({ cardId: expect.any(String), card: expect.any(Object) }),
        );
      }
      break;
    case 'push':
      expect(rendering.title).not.toBe('');
      expect(rendering.body).not.toBe('');
      break;
    default:
      rendering satisfies never;
  }
  // The whole rendering survives a JSON round trip (what a channel adapter will send).
  expect(JSON.parse(JSON.stringify(rendering))).toEqual(rendering);
};

describe('the default template pack', () => {
  it('has a key per canonical status and per internal alert', () => {
    expect(defaultTemplateKeys()).toEqual([
      ...CANONICAL_STATUSES,
      ...INTERNAL_TEMPLATE_NAMES.map((n) => `internal.${n}`),
    ]);
    expect(defaultTemplateChannels('dispatched')).toEqual([...TEMPLATE_CHANNELS]);
    expect(defaultTemplateChannels('internal.on_hold')).toEqual([
      'email',
      'slack',
      'teams',
      'google_chat',
    ]);
    expect(defaultTemplateChannels('nope')).toEqual([]);
    expect(defaultTemplateParts('dispatched', 'sms', 'fr')?.text).toContain('items_phrase');
  });

  it('keeps structured channels as text parts, never JSON in Liquid', () => {
    for (const byChannel of Object.values(DEFAULT_TEMPLATE_PACK)) {
      for (const channel of ['slack', 'teams', 'google_chat'] as const) {
        for (const parts of Object.values(byChannel[channel] ?? {})) {
          expect(Object.keys(parts).sort()).toEqual(['body', 'title']);
        }
      }
    }
  });

  it.each([...STATUS_CASES, ...INTERNAL_CASES])(
    'renders $key for $channel in $locale',
    ({ key, status, channel, locale }) => {
      const context = sampleContext(status, {
        split: 'last_of_two',
        ...(key === 'internal.regulatory_hold'
          ? { patch: { overlay: { kind: 'on_hold', reason: 'regulatory' } } }
          : {}),
      });
      const result = renderTemplate({
        templateKey: key,
        channel,
        locale,
        timeZone: 'Europe/Paris',
        rewrites: [],
        context,
      });
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      expect(result.locale).toBe(locale);
      expect(result.rendering.channel).toBe(channel);
      expectValidStructure(result.rendering);
      for (const text of stringsOf(result.rendering)) {
        expect(text).not.toMatch(/\{\{|\{%|%\}|\}\}/);
        expect(text).not.toMatch(/undefined|\[object Object\]/);
      }
      // Order number everywhere; no contact point anywhere.
      expect(stringsOf(result.rendering).join(' ')).toContain('1001');
      expect(JSON.stringify(result.rendering)).not.toMatch(/camille@example\.com|5145550100/);
    },
  );
});
