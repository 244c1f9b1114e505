/**
 * @module Turns rendered text parts into each channel's rendering. Structured payloads (Slack
 * blocks, a Teams Adaptive Card, Google Chat cardsV2) are built here as objects, so their JSON is
 * valid by construction and text is escaped for the one place it lands.
 */
import { countSmsSegments } from '../sms/sms-segments.ts';
import { labelsFor } from './template-labels.ts';
import type { Rendering, TemplateChannel } from './template-types.ts';

/** Parts each channel needs; a template set missing one is `template_not_found`. */
export const REQUIRED_PARTS: Record<TemplateChannel, readonly string[]> = {
  sms: ['text'],
  email: ['subject', 'html', 'text'],
  whatsapp: ['text'],
  slack: ['title', 'body'],
  teams: ['title', 'body'],
  google_chat: ['title', 'body'],
  push: ['title', 'body'],
};

/** Output caps per part, below the providers' own limits (Twilio 1,600; WhatsApp 4,096 / 1,024). */
export const PART_LIMITS: Partial<Record<TemplateChannel, Record<string, number>>> = {
  sms: { text: 1600 },
  whatsapp: { text: 4096, param: 1024 },
  push: { title: 200, body: 2000 },
  slack: { title: 150, body: 3000 },
  email: { subject: 998 },
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const field = (value: unknown, ...path: string[]): string | undefined => {
  let current = value;
  for (const key of path) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return typeof current === 'string' && current !== '' ? current : undefined;
};

const httpUrl = (value: string | undefined): string | undefined =>
  value !== undefined && /^https?:\/\/[^\s<>|]+$/i.test(value) ? value : undefined;

/** Collapses the whitespace Liquid tags leave behind, for one-line channels. */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Trims lines and squeezes blank runs, for multi-line text. */
export const tidyLines = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/** Slack mrkdwn treats `&`, `<` and `>` as control characters. */
const slackEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Google Chat card text is a small HTML subset. */
const htmlEscape = (text: string): string =>
  slackEscape(text).replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

interface Fact {
  title: string;
  value: string;
}

/** The facts staff cards show, from the context, labelled in the template's language. */
const factsOf = (context: Record<string, unknown>, language: string): Fact[] => {
  const labels = labelsFor(language);
  const facts: Fact[] = [];
  const add = (title: string, value: string | undefined) => {
    if (value !== undefined) facts.push({ title, value });
  };
  add(labels.facts.order, field(context, 'order', 'number'));
  const status = field(context, 'status');
  add(
    labels.facts.status,
    status !== undefined && Object.hasOwn(labels.statuses, status)
      ? labels.statuses[status as keyof typeof labels.statuses]
      : status,
  );
  const reason = field(context, 'overlay', 'reason');
  add(
    labels.facts.reason,
    reason !== undefined && Object.hasOwn(labels.reasons, reason)
      ? labels.reasons[reason as keyof typeof labels.reasons]
      : reason,
  );
  add(labels.facts.carrier, field(context, 'shipment', 'carrier'));
  add(labels.facts.tracking, field(context, 'shipment', 'tracking_number'));
  return facts;
};

const numbered = (parts: Record<string, string>, prefix: string): string[] =>
  Object.keys(parts)
    .flatMap((name) => {
      const match = new RegExp(`^${prefix}\\.(\\d+)$`).exec(name);
      return match?.[1] === undefined ? [] : [[Number(match[1]), name] as const];
    })
    .sort((a, b) => a[0] - b[0])
    .map(([, name]) => oneLine(parts[name] ?? ''));

export interface BuildInput {
  channel: TemplateChannel;
  templateKey: string;
  /** The locale of the template actually used. */
  locale: string;
  parts: Record<string, string>;
  context: Record<string, unknown>;
}

/** Builds the channel's rendering from its rendered parts. */
export const buildRendering = ({
  channel,
  templateKey,
  locale,
  parts,
  context,
}: BuildInput): Rendering => {
  const part = (name: string): string => parts[name] ?? '';
  const trackUrl = httpUrl(field(context, 'shipment', 'tracking_url'));
  const trackLabel = labelsFor(locale).facts.track;
  switch (channel) {
    case 'sms': {
      const text = oneLine(part('text'));
      return { channel, text, segments: countSmsSegments(text) };
    }
    case 'email':
      return {
        channel,
        subject: oneLine(part('subject')),
        html: part('html').trim(),
        text: tidyLines(part('text')),
      };
    case 'whatsapp':
      return {
        channel,
        templateName:
          oneLine(part('template_name')) || `tidings_${templateKey.replace(/\W/g, '_')}`,
        // Meta's template language codes use an underscore: en, fr, pt_BR.
        language: locale.replace('-', '_'),
        headerParameters: numbered(parts, 'header'),
        bodyParameters: numbered(parts, 'body'),
        text: tidyLines(part('text')),
      };
    case 'push':
      return { channel, title: oneLine(part('title')), body: oneLine(part('body')) };
    case 'slack': {
      const title = oneLine(part('title'));
      const body = tidyLines(part('body'));
      const facts = factsOf(context, locale);
      const blocks: Record<string, unknown>[] = [
        { type: 'header', text: { type: 'plain_text', text: truncate(title, 150), emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: truncate(slackEscape(body), 3000) } },
      ];
      if (facts.length > 0) {
        blocks.push({
          type: 'section',
          fields: facts.slice(0, 10).map((f) => ({
            type: 'mrkdwn',
            text: `*${slackEscape(f.title)}*\n${slackEscape(f.value)}`,
          })),
        });
      }
      if (trackUrl !== undefined) {
        blocks.push({
          type: 'actions',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: trackLabel }, url: trackUrl },
          ],
        });
      }
      return { channel, text: `${title}\n${body}`, blocks };
    }
    case 'teams': {
      const card: Record<string, unknown> = {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          {
            type: 'TextBlock',
            text: oneLine(part('title')),
            weight: 'Bolder',
            size: 'Medium',
            wrap: true,
          },
          { type: 'TextBlock', text: tidyLines(part('body')), wrap: true },
          { type: 'FactSet', facts: factsOf(context, locale) },
        ],
      };
      if (trackUrl !== undefined) {
        card.actions = [{ type: 'Action.OpenUrl', title: trackLabel, url: trackUrl }];
      }
      return { channel, card };
    }
    case 'google_chat': {
      const title = oneLine(part('title'));
      const body = tidyLines(part('body'));
      const widgets: Record<string, unknown>[] = [
        { textParagraph: { text: htmlEscape(body).replace(/\n/g, '<br>') } },
        ...factsOf(context, locale).map((f) => ({
          decoratedText: { topLabel: f.title, text: htmlEscape(f.value) },
        })),
      ];
      if (trackUrl !== undefined) {
        widgets.push({
          buttonList: { buttons: [{ text: trackLabel, onClick: { openLink: { url: trackUrl } } }] },
        });
      }
      const subtitle = field(context, 'shop_name');
      return {
        channel,
        text: `${title}\n${body}`,
        cardsV2: [
          {
            cardId: `tidings-${templateKey.replace(/[^\w-]/g, '-')}`,
            card: {
              header: subtitle === undefined ? { title } : { title, subtitle },
              sections: [{ widgets }],
            },
          },
        ],
      };
    }
    default:
      return channel satisfies never;
  }
};
