/**
 * @module The default template pack: every canonical status and every internal alert, per
 * channel and language, composed from each language's copy. Sources stay Liquid strings (data),
 * keyed `<status>` and `internal.<name>`; structured channels get text parts, never JSON.
 */
import { CANONICAL_STATUSES, type CanonicalStatus } from '../../statuses.ts';
import { labelsFor } from '../template-labels.ts';
import {
  TEMPLATE_CHANNELS,
  TEMPLATE_LOCALES,
  type TemplateChannel,
  type TemplateLocale,
} from '../template-types.ts';
import { de } from './de.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import {
  INTERNAL_TEMPLATE_NAMES,
  type InternalCopy,
  type LocaleCopy,
  type StatusCopy,
} from './pack-types.ts';

/** Part name → Liquid source. */
export type TemplateParts = Record<string, string>;
/** Key → channel → locale → parts, the same shape as tenant overrides. */
export type TemplatePack = Record<
  string,
  Partial<Record<TemplateChannel, Record<string, TemplateParts>>>
>;

const COPY: Record<TemplateLocale, LocaleCopy> = { en, es, fr, de };

/** Channels staff alerts are written for; they carry detail customers never see. */
export const INTERNAL_TEMPLATE_CHANNELS = ['slack', 'teams', 'google_chat', 'email'] as const;

const itemsText = (copy: LocaleCopy): string =>
  `{% if order.items.size > 0 %}${copy.itemsHeading}:\n{% for item in order.items %}- {{ item.title | default: '${copy.itemFallback}' }} × {{ item.quantity }}\n{% endfor %}{% endif %}{% if order.total %}${copy.totalLabel}: {{ order.total | money }}\n{% endif %}`;

const itemsHtml = (copy: LocaleCopy): string =>
  `{% if order.items.size > 0 %}<h3>${copy.itemsHeading}</h3><ul>{% for item in order.items %}<li>{{ item.title | default: '${copy.itemFallback}' }} × {{ item.quantity }}</li>{% endfor %}</ul>{% endif %}{% if order.total %}<p>${copy.totalLabel}: {{ order.total | money }}</p>{% endif %}`;

const htmlPage = (locale: string, inner: string): string =>
  `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif;line-height:1.5">${inner}</body></html>`;

const lines = (text: string): string => text.replace(/\n/g, '<br>');

const statusParts = (
  locale: TemplateLocale,
  copy: LocaleCopy,
  status: CanonicalStatus,
  s: StatusCopy,
): Record<TemplateChannel, TemplateParts> => {
  const staffTitle = `${labelsFor(locale).statuses[status]} · {{ order.number }}`;
  return {
    sms: { text: `{{ shop_name }}: ${s.message}` },
    email: {
      subject: s.title,
      text: `${copy.greeting}\n\n${s.message}\n\n${itemsText(copy)}\n${copy.signoff}\n`,
      html: htmlPage(
        locale,
        `<p>${copy.greeting}</p><p>${s.message}</p>${itemsHtml(copy)}<p>${lines(copy.signoff)}</p>`,
      ),
    },
    whatsapp: {
      text: `{{ shop_name }}: ${s.message}`,
      'header.1': '{{ shop_name }}',
      'body.1': '{{ order.number }}',
      'body.2': s.message,
    },
    slack: { title: staffTitle, body: s.staff },
    teams: { title: staffTitle, body: s.staff },
    google_chat: { title: staffTitle, body: s.staff },
    push: { title: s.title, body: s.message },
  };
};

const internalParts = (locale: TemplateLocale, c: InternalCopy) => ({
  slack: { title: c.title, body: c.body },
  teams: { title: c.title, body: c.body },
  google_chat: { title: c.title, body: c.body },
  email: { subject: c.title, text: `${c.body}\n`, html: htmlPage(locale, `<p>${c.body}</p>`) },
});

const buildPack = (): TemplatePack => {
  const pack: TemplatePack = {};
  const put = (key: string, channel: TemplateChannel, locale: string, parts: TemplateParts) => {
    const byChannel = pack[key] ?? {};
    pack[key] = byChannel;
    const byLocale = byChannel[channel] ?? {};
    byChannel[channel] = byLocale;
    byLocale[locale] = parts;
  };
  for (const locale of TEMPLATE_LOCALES) {
    const copy = COPY[locale];
    for (const status of CANONICAL_STATUSES) {
      const parts = statusParts(locale, copy, status, copy.statuses[status]);
      for (const channel of TEMPLATE_CHANNELS) put(status, channel, locale, parts[channel]);
    }
    for (const name of INTERNAL_TEMPLATE_NAMES) {
      const parts = internalParts(locale, copy.internal[name]);
      for (const channel of INTERNAL_TEMPLATE_CHANNELS) {
        put(`internal.${name}`, channel, locale, parts[channel]);
      }
    }
  }
  return pack;
};

/** The default pack, built once at module load. */
export const DEFAULT_TEMPLATE_PACK: Readonly<TemplatePack> = buildPack();

/** Every key of the default pack: the 14 statuses, then `internal.on_hold` and the others. */
export const defaultTemplateKeys = (): string[] => Object.keys(DEFAULT_TEMPLATE_PACK);

/** The channels the default pack has copy for under `key` (none for an unknown key). */
export const defaultTemplateChannels = (key: string): TemplateChannel[] => {
  const byChannel = Object.hasOwn(DEFAULT_TEMPLATE_PACK, key) ? DEFAULT_TEMPLATE_PACK[key] : {};
  return TEMPLATE_CHANNELS.filter((c) => byChannel?.[c] !== undefined);
};

/** The default parts for (key, channel, locale), or undefined; for the admin's template editor. */
export const defaultTemplateParts = (
  key: string,
  channel: TemplateChannel,
  locale: string,
): Readonly<TemplateParts> | undefined => {
  if (!Object.hasOwn(DEFAULT_TEMPLATE_PACK, key)) return undefined;
  const byLocale = DEFAULT_TEMPLATE_PACK[key]?.[channel];
  return byLocale !== undefined && Object.hasOwn(byLocale, locale) ? byLocale[locale] : undefined;
};
