/** @module Which IANA time zone a recipient lives in, and how sure we are of it. */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Recipient } from '../order-event.ts';
import { memoize } from './bounded-memo.ts';

export const TIME_ZONE_SOURCES = ['recipient', 'region', 'country', 'phone', 'tenant'] as const;
export type TimeZoneSource = (typeof TIME_ZONE_SOURCES)[number];

export interface RecipientTimeZone {
  /** The zone to speak in (and to compute deferrals in). */
  zone: string;
  source: TimeZoneSource;
  /**
   * Every zone the recipient may be in, `zone` first. A region split across zones (the Florida
   * panhandle is on Central time) lists them all, so quiet hours can hold in each of them.
   */
  zones: string[];
}

/**
 * ISO 3166-2 subdivision → its zones, most populous first. US states, Canadian provinces and
 * territories, Australian states and territories; source: the IANA tz database `zone1970.tab`
 * comments, from memory (UNVERIFIED line by line; the split-state lists are the known splits).
 */
const REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
  'US-AL': ['America/Chicago'],
  'US-AK': ['America/Anchorage', 'America/Adak'],
  'US-AZ': ['America/Phoenix', 'America/Denver'],
  'US-AR': ['America/Chicago'],
  'US-CA': ['America/Los_Angeles'],
  'US-CO': ['America/Denver'],
  'US-CT': ['America/New_York'],
  'US-DE': ['America/New_York'],
  'US-DC': ['America/New_York'],
  'US-FL': ['America/New_York', 'America/Chicago'],
  'US-GA': ['America/New_York'],
  'US-HI': ['Pacific/Honolulu'],
  'US-ID': ['America/Boise', 'America/Los_Angeles'],
  'US-IL': ['America/Chicago'],
  'US-IN': ['America/Indiana/Indianapolis', 'America/Chicago'],
  'US-IA': ['America/Chicago'],
  'US-KS': ['America/Chicago', 'America/Denver'],
  'US-KY': ['America/New_York', 'America/Chicago'],
  'US-LA': ['America/Chicago'],
  'US-ME': ['America/New_York'],
  'US-MD': ['America/New_York'],
  'US-MA': ['America/New_York'],
  'US-MI': ['America/Detroit', 'America/Menominee'],
  'US-MN': ['America/Chicago'],
  'US-MS': ['America/Chicago'],
  'US-MO': ['America/Chicago'],
  'US-MT': ['America/Denver'],
  'US-NE': ['America/Chicago', 'America/Denver'],
  'US-NV': ['America/Los_Angeles'],
  'US-NH': ['America/New_York'],
  'US-NJ': ['America/New_York'],
  'US-NM': ['America/Denver'],
  'US-NY': ['America/New_York'],
  'US-NC': ['America/New_York'],
  'US-ND': ['America/Chicago', 'America/Denver'],
  'US-OH': ['America/New_York'],
  'US-OK': ['America/Chicago'],
  'US-OR': ['America/Los_Angeles', 'America/Boise'],
  'US-PA': ['America/New_York'],
  'US-RI': ['America/New_York'],
  'US-SC': ['America/New_York'],
  'US-SD': ['America/Chicago', 'America/Denver'],
  'US-TN': ['America/Chicago', 'America/New_York'],
  'US-TX': ['America/Chicago', 'America/Denver'],
  'US-UT': ['America/Denver'],
  'US-VT': ['America/New_York'],
  'US-VA': ['America/New_York'],
  'US-WA': ['America/Los_Angeles'],
  'US-WV': ['America/New_York'],
  'US-WI': ['America/Chicago'],
  'US-WY': ['America/Denver'],
  'US-PR': ['America/Puerto_Rico'],
  'US-GU': ['Pacific/Guam'],
  'US-VI': ['America/St_Thomas'],
  'US-AS': ['Pacific/Pago_Pago'],
  'US-MP': ['Pacific/Saipan'],
  'CA-AB': ['America/Edmonton'],
  'CA-BC': ['America/Vancouver', 'America/Dawson_Creek'],
  'CA-MB': ['America/Winnipeg'],
  'CA-NB': ['America/Moncton'],
  'CA-NL': ['America/St_Johns', 'America/Goose_Bay'],
  'CA-NS': ['America/Halifax'],
  'CA-NT': ['America/Yellowknife'],
  'CA-NU': ['America/Iqaluit', 'America/Rankin_Inlet', 'America/Cambridge_Bay'],
  'CA-ON': ['America/Toronto', 'America/Winnipeg'],
  'CA-PE': ['America/Halifax'],
  'CA-QC': ['America/Toronto', 'America/Halifax'],
  'CA-SK': ['America/Regina'],
  'CA-YT': ['America/Whitehorse'],
  'AU-ACT': ['Australia/Sydney'],
  'AU-NSW': ['Australia/Sydney', 'Australia/Broken_Hill'],
  'AU-NT': ['Australia/Darwin'],
  'AU-QLD': ['Australia/Brisbane'],
  'AU-SA': ['Australia/Adelaide'],
  'AU-TAS': ['Australia/Hobart'],
  'AU-VIC': ['Australia/Melbourne'],
  'AU-WA': ['Australia/Perth'],
};

/**
 * Countries with a single zone for (almost) everyone on the mainland; countries spanning zones
 * (US, CA, AU, BR, MX, RU, ES with the Canaries, PT with the Azores, …) are deliberately absent,
 * so a bare country or phone number never guesses an hour wrong there.
 */
const SINGLE_ZONE_COUNTRIES: Readonly<Record<string, string>> = {
  AE: 'Asia/Dubai',
  AT: 'Europe/Vienna',
  BE: 'Europe/Brussels',
  BG: 'Europe/Sofia',
  CH: 'Europe/Zurich',
  CN: 'Asia/Shanghai',
  CY: 'Asia/Nicosia',
  CZ: 'Europe/Prague',
  DE: 'Europe/Berlin',
  DK: 'Europe/Copenhagen',
  EE: 'Europe/Tallinn',
  FI: 'Europe/Helsinki',
  FR: 'Europe/Paris',
  GB: 'Europe/London',
  GR: 'Europe/Athens',
  HK: 'Asia/Hong_Kong',
  HR: 'Europe/Zagreb',
  HU: 'Europe/Budapest',
  IE: 'Europe/Dublin',
  IL: 'Asia/Jerusalem',
  IN: 'Asia/Kolkata',
  IS: 'Atlantic/Reykjavik',
  IT: 'Europe/Rome',
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  LI: 'Europe/Vaduz',
  LT: 'Europe/Vilnius',
  LU: 'Europe/Luxembourg',
  LV: 'Europe/Riga',
  MT: 'Europe/Malta',
  NL: 'Europe/Amsterdam',
  NO: 'Europe/Oslo',
  PL: 'Europe/Warsaw',
  RO: 'Europe/Bucharest',
  SE: 'Europe/Stockholm',
  SG: 'Asia/Singapore',
  SI: 'Europe/Ljubljana',
  SK: 'Europe/Bratislava',
  TR: 'Europe/Istanbul',
  ZA: 'Africa/Johannesburg',
};

/** The zones of an ISO 3166-2 subdivision, or undefined when the table does not know it. */
export const regionTimeZones = (region: string): readonly string[] | undefined =>
  REGION_ZONES[region.toUpperCase()];

/** The one zone of a single-zone country, or undefined. */
export const countryTimeZone = (country: string): string | undefined =>
  SINGLE_ZONE_COUNTRIES[country.toUpperCase()];

/** The ISO 3166-1 country of an E.164 number, via libphonenumber-js, or undefined. */
export const phoneCountry = memoize((phone: string): string | undefined =>
  // Only E.164 is tried: anything else (an e-mail address) would make the parser throw, slowly.
  /^\+[1-9]\d{6,14}$/.test(phone) ? parsePhoneNumberFromString(phone)?.country : undefined,
);

/**
 * The recipient's zone: their own, else their shipping region's, else their country's when it has
 * one zone, else their phone number's country's when it has one zone, else the tenant's.
 */
export const recipientTimeZone = (
  recipient: Recipient | undefined,
  tenantTimeZone: string,
  contact?: string,
): RecipientTimeZone => {
  const one = (zone: string, source: TimeZoneSource): RecipientTimeZone => ({
    zone,
    source,
    zones: [zone],
  });
  if (recipient?.timeZone) return one(recipient.timeZone, 'recipient');
  const regional = recipient?.region ? regionTimeZones(recipient.region) : undefined;
  const [primary] = regional ?? [];
  if (regional && primary) return { zone: primary, source: 'region', zones: [...regional] };
  const byCountry = recipient?.country ? countryTimeZone(recipient.country) : undefined;
  if (byCountry) return one(byCountry, 'country');
  const phone = contact?.startsWith('+')
    ? contact
    : (recipient?.contacts.sms ?? recipient?.contacts.whatsapp);
  const fromPhone = phone ? phoneCountry(phone) : undefined;
  const byPhone = fromPhone ? countryTimeZone(fromPhone) : undefined;
  if (byPhone) return one(byPhone, 'phone');
  return one(tenantTimeZone, 'tenant');
};
