/**
 * @module Where the recipient is, in law: country and subdivision, and the marketing-hours,
 * forbidden-day and frequency rules each jurisdiction sets for messages to a phone.
 */
import type { ChannelKind } from '../channel-kinds.ts';
import type { Recipient } from '../order-event.ts';
import type { ClockWindow, LocalDate } from './quiet-hours.ts';
import { phoneCountry } from './recipient-time-zone.ts';

export interface Jurisdiction {
  /** ISO 3166-1 alpha-2, or undefined when nothing tells us. */
  country?: string;
  /** ISO 3166-2, e.g. "US-FL". */
  region?: string;
}

/** Where the recipient is: their region, else their country, else their phone's country. */
export const recipientJurisdiction = (
  recipient: Recipient | undefined,
  contact?: string,
): Jurisdiction => {
  const region = recipient?.region;
  const country =
    recipient?.country ??
    region?.slice(0, 2) ??
    [contact, recipient?.contacts.sms, recipient?.contacts.whatsapp]
      .filter((c): c is string => c?.startsWith('+') === true)
      .map(phoneCountry)
      .find((c) => c !== undefined);
  return {
    ...(country === undefined ? {} : { country }),
    ...(region === undefined ? {} : { region }),
  };
};

/** Channels that reach a telephone number: the ones telemarketing and SMS laws speak of. */
export const PHONE_CHANNELS: readonly ChannelKind[] = ['sms', 'whatsapp'];

export interface JurisdictionRule {
  /** "US" for a whole country, "US-FL" for a subdivision. */
  id: string;
  /** Marketing to a phone is allowed only in this local window. */
  marketingWindow?: ClockWindow;
  /** Marketing to a phone is forbidden all day on these dates. */
  forbiddenDays?: { describe: string; test: (date: LocalDate) => boolean };
  /** At most `max` marketing messages to a phone per rolling `hours`. */
  frequencyCap?: { max: number; hours: number };
  /** Statute or policy, as cited in the core README (Compliance). */
  source: string;
  /** False where the figure could not be confirmed from a primary text. */
  verified: boolean;
}

/** Easter Sunday (Gregorian), anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
const easter = (year: number): { month: number; day: number } => {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
};

const FR_FIXED_HOLIDAYS = ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'];

/**
 * French public holidays (Code du travail L3133-1): the fixed-date ones, Easter Monday, Ascension
 * and Whit Monday. Alsace-Moselle's extra days (Good Friday, 26 December) are not included.
 */
export const isFrenchPublicHoliday = (date: { year: number; month: number; day: number }) => {
  const md = `${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
  if (FR_FIXED_HOLIDAYS.includes(md)) return true;
  const e = easter(date.year);
  const sunday = Date.UTC(date.year, e.month - 1, e.day);
  const offset = Math.round((Date.UTC(date.year, date.month - 1, date.day) - sunday) / 86_400_000);
  return offset === 1 || offset === 39 || offset === 50;
};

const US_STATE_CAP = { max: 3, hours: 24 };
const EIGHT_TO_EIGHT = { start: '08:00', end: '20:00' };

/** The rule table; a state's rules add to the federal ones (the narrowest window wins). */
export const JURISDICTION_RULES: readonly JurisdictionRule[] = [
  {
    id: 'US',
    marketingWindow: { start: '08:00', end: '21:00' },
    source: 'TCPA, 47 CFR 64.1200(c)(1)',
    verified: true,
  },
  {
    id: 'US-FL',
    marketingWindow: EIGHT_TO_EIGHT,
    frequencyCap: US_STATE_CAP,
    source: 'Fla. Stat. 501.616(6) as amended by SB 1120 (2021); FTSA 501.059',
    verified: true,
  },
  {
    id: 'US-OK',
    marketingWindow: EIGHT_TO_EIGHT,
    frequencyCap: US_STATE_CAP,
    source: 'Oklahoma Telephone Solicitation Act of 2022, 15 O.S. 775C.1 et seq.',
    verified: true,
  },
  {
    id: 'US-MD',
    marketingWindow: EIGHT_TO_EIGHT,
    frequencyCap: US_STATE_CAP,
    source: 'Maryland Stop the Spam Calls Act of 2023 (SB 90), Md. Com. Law 14-4501 et seq.',
    verified: true,
  },
  {
    id: 'US-CT',
    marketingWindow: { start: '09:00', end: '20:00' },
    source: 'Conn. Gen. Stat. 42-288a as amended by Public Act 23-98 §12(c) (9:00, not 8:00)',
    verified: true,
  },
  {
    id: 'US-WA',
    marketingWindow: EIGHT_TO_EIGHT,
    source: 'RCW 19.158.040(2); RCW 80.36.390 (UNVERIFIED for the hours)',
    verified: true,
  },
  {
    id: 'FR',
    marketingWindow: EIGHT_TO_EIGHT,
    forbiddenDays: {
      describe: 'Sundays and French public holidays',
      test: (d) => d.weekday === 7 || isFrenchPublicHoliday(d),
    },
    source:
      'Operators’ SMS code of conduct (AF2M/FFTélécoms), as relayed by CNIL-citing providers ' +
      '(UNVERIFIED primary text; 20:00 chosen over the sometimes-quoted 22:00)',
    verified: false,
  },
];

const RULES_BY_ID = new Map(JURISDICTION_RULES.map((r) => [r.id, r]));

/** The rules that apply to a jurisdiction: its country's, then its subdivision's. */
export const jurisdictionRules = (where: Jurisdiction): JurisdictionRule[] =>
  [where.country, where.region?.toUpperCase()].flatMap((id) => {
    const rule = id === undefined ? undefined : RULES_BY_ID.get(id.toUpperCase());
    return rule ? [rule] : [];
  });

/** EU member states, plus the EEA states where Directive 2011/83/EU applies too. */
export const EEA_COUNTRIES: readonly string[] = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
];

/** True for EU and EEA countries, where EU consumer law gives a right of withdrawal. */
export const isEeaCountry = (country: string | undefined): boolean =>
  country !== undefined && EEA_COUNTRIES.includes(country.toUpperCase());
