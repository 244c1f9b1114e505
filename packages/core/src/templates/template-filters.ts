/**
 * @module Order-aware Liquid filters: tracking links, split-shipment phrases, item summaries,
 * money and dates in the recipient's locale and IANA time zone. Locale and zone come from the
 * render's globals (set per render by `renderTemplate`), never from the host.
 */
import type { FilterImplOptions } from 'liquidjs';
import { DateTime } from 'luxon';
import { isCanonicalStatus } from '../statuses.ts';
import { labelsFor } from './template-labels.ts';

/** What every render passes as liquidjs `globals`; templates may read these too. */
export interface RenderGlobals {
  /** The recipient's locale when the runtime supports it, else the template's: for formats. */
  locale: string;
  /** The language of the template actually used: for words filters add. */
  language: string;
  time_zone: string;
  /** One flag per compliance rewrite in force. */
  rewrites: Readonly<Record<string, boolean>>;
}

/** The part of liquidjs' filter `this` we read (its `FilterImpl` type is not exported). */
interface FilterImpl {
  context: { globals: unknown };
}

const settingsOf = (impl: FilterImpl): { locale: string; language: string; timeZone: string } => {
  const globals = (
    isRecord(impl.context.globals) ? impl.context.globals : {}
  ) as Partial<RenderGlobals>;
  return {
    locale: typeof globals.locale === 'string' ? globals.locale : 'en',
    language: typeof globals.language === 'string' ? globals.language : 'en',
    timeZone: typeof globals.time_zone === 'string' ? globals.time_zone : 'UTC',
  };
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** `shipment | tracking_link`: its tracking URL, else "UPS tracking number 1Z…", else "". */
function trackingLink(this: FilterImpl, shipment: unknown): string {
  if (!isRecord(shipment)) return '';
  const url = str(shipment.tracking_url);
  if (url !== undefined) return url;
  const number = str(shipment.tracking_number);
  if (number === undefined) return '';
  const words = labelsFor(settingsOf(this).language).trackingNumber;
  const carrier = str(shipment.carrier);
  return carrier === undefined ? `${words} ${number}` : `${carrier} ${words} ${number}`;
}

/**
 * `split | items_phrase`: "your order", "some items from your order" or "the last items of your
 * order", worded as the object of a sentence; `items_phrase: 'start'` capitalizes the first letter.
 */
function itemsPhrase(this: FilterImpl, split: unknown, position?: unknown): string {
  const phrases = labelsFor(settingsOf(this).language).itemsPhrase;
  let phrase = phrases.whole;
  if (isRecord(split) && split.is_split === true) {
    phrase = split.is_last === true ? phrases.last : phrases.some;
  }
  return position === 'start' ? phrase.charAt(0).toUpperCase() + phrase.slice(1) : phrase;
}

/** `order.items | items_summary`: "Blue Mug x2", "Mug and Pot", "Mug and 2 more items", or "". */
function itemsSummary(this: FilterImpl, items: unknown): string {
  if (!Array.isArray(items)) return '';
  const titled = items.flatMap((item) => {
    if (!isRecord(item)) return [];
    const title = str(item.title);
    if (title === undefined) return [];
    const quantity = typeof item.quantity === 'number' ? item.quantity : 1;
    return [quantity > 1 ? `${title} x${quantity}` : title];
  });
  const labels = labelsFor(settingsOf(this).language);
  const [first, second] = titled;
  if (first === undefined) return '';
  if (second === undefined) return first;
  if (titled.length === 2) return `${first} ${labels.and} ${second}`;
  return `${first} ${labels.and} ${labels.moreItems(titled.length - 1)}`;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** `order.total | money`: "$42.50", "42,50 $", "42,50 €" in the recipient's locale; "" for nil. */
function money(this: FilterImpl, value: unknown): string {
  if (!isRecord(value)) return '';
  const amount = str(value.amount);
  const currency = str(value.currency);
  if (amount === undefined || currency === undefined) return '';
  const { locale } = settingsOf(this);
  const key = `${locale}|${currency}`;
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    numberFormats.set(key, format);
  }
  // A decimal string is formatted exactly (Intl.NumberFormat v3); no float rounding of cents.
  return format.format(amount as `${number}`);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_STYLES = {
  short: DateTime.DATE_SHORT,
  medium: DateTime.DATE_MED,
  long: DateTime.DATE_FULL,
  full: DateTime.DATE_HUGE,
} as const;

const parseWhen = (value: string, timeZone: string): DateTime => {
  // A calendar date (a promised date) is the same day everywhere; an instant moves to the zone.
  const parsed = DATE_ONLY.test(value)
    ? DateTime.fromISO(value, { zone: 'UTC' })
    : DateTime.fromISO(value, { setZone: true }).setZone(timeZone);
  if (!parsed.isValid) throw new Error(`not an ISO date or instant: ${parsed.invalidReason}`);
  return parsed;
};

/** `when | local_date`: the date in the recipient's locale and zone; style short/medium/long/full. */
function localDate(this: FilterImpl, value: unknown, style?: unknown): string {
  const when = str(value);
  if (when === undefined) return '';
  const { locale, timeZone } = settingsOf(this);
  const format =
    typeof style === 'string' && Object.hasOwn(DATE_STYLES, style)
      ? DATE_STYLES[style as keyof typeof DATE_STYLES]
      : DATE_STYLES.long;
  return parseWhen(when, timeZone).setLocale(locale).toLocaleString(format);
}

/** `instant | local_time`: the wall-clock time in the recipient's zone (DST-correct) and locale. */
function localTime(this: FilterImpl, value: unknown): string {
  const when = str(value);
  if (when === undefined) return '';
  if (DATE_ONLY.test(when)) throw new Error('local_time needs an instant, not a calendar date');
  const { locale, timeZone } = settingsOf(this);
  return parseWhen(when, timeZone).setLocale(locale).toLocaleString(DateTime.TIME_SIMPLE);
}

/** `status | status_label`: "Out for delivery", "En reparto", … in the template's language. */
function statusLabel(this: FilterImpl, status: unknown): string {
  const value = str(status);
  if (value === undefined) return '';
  return isCanonicalStatus(value) ? labelsFor(settingsOf(this).language).statuses[value] : value;
}

/** `overlay.reason | reason_label`: "failed delivery attempt", … in the template's language. */
function reasonLabel(this: FilterImpl, reason: unknown): string {
  const value = str(reason);
  if (value === undefined) return '';
  const reasons: Record<string, string> = labelsFor(settingsOf(this).language).reasons;
  return Object.hasOwn(reasons, value) ? (reasons[value] ?? value) : value;
}

/** The filters `renderTemplate` registers on its sandboxes, by Liquid name. */
export const ORDER_FILTERS: Record<string, FilterImplOptions> = {
  tracking_link: trackingLink,
  items_phrase: itemsPhrase,
  items_summary: itemsSummary,
  money,
  local_date: localDate,
  local_time: localTime,
  status_label: statusLabel,
  reason_label: reasonLabel,
};
