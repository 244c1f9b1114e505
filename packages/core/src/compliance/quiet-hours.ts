/**
 * @module Quiet-hours arithmetic in the recipient's zone(s): whether an instant is allowed, and
 * the next instant that is — DST-correct through spring-forward gaps and fall-back overlaps.
 */
import { DateTime, IANAZone } from 'luxon';
import type { MessageClass } from '../message-class.ts';
import { memoize } from './bounded-memo.ts';
import type { ComplianceReason, ComplianceSettings } from './compliance-types.ts';

/** A local wall-clock window, "HH:mm"–"HH:mm", end exclusive; wraps midnight when start > end. */
export interface ClockWindow {
  start: string;
  end: string;
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

/** One timing constraint and the reason code it defers with. */
export interface TimingRule {
  reason: ComplianceReason;
  /** Sending is allowed only inside this window (local time). */
  allowed?: ClockWindow;
  /** Sending is forbidden all day on these local dates. */
  forbiddenDay?: (date: LocalDate) => boolean;
}

/**
 * Tenant quiet hours used when `settings.quietHours` has no entry for a class: the overnight
 * window of `TenantConfig.compliance` for transactional and marketing; critical is never held.
 */
export const DEFAULT_QUIET_HOURS: Readonly<Record<MessageClass, ClockWindow | null>> = {
  critical: null,
  transactional: { start: '21:00', end: '08:00' },
  marketing: { start: '21:00', end: '08:00' },
};

const MINUTE = 60_000;
const DAY = 86_400_000;

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight of an "HH:mm" string; throws on anything else (a config bug). */
export const clockMinutes = memoize((hhmm: string): number => {
  const m = CLOCK.exec(hhmm);
  if (!m) throw new Error(`Not a 24-hour "HH:mm" time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}, 1_440);

/** Whether a minute of the day lies in the window; an empty window (start = end) is all day. */
export const inWindow = (minute: number, window: ClockWindow): boolean => {
  const start = clockMinutes(window.start);
  const end = clockMinutes(window.end);
  if (start === end) return true;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
};

/**
 * The tenant's allowed window for a class: the complement of its quiet window. `null` when the
 * tenant has no quiet window for the class, and always for `critical`.
 */
export const tenantAllowedWindow = (
  settings: ComplianceSettings,
  messageClass: MessageClass,
): ClockWindow | null => {
  if (messageClass === 'critical') return null;
  const configured = settings.quietHours[messageClass];
  const quiet = configured === undefined ? DEFAULT_QUIET_HOURS[messageClass] : configured;
  if (!quiet || quiet.start === quiet.end) return null;
  return { start: quiet.end, end: quiet.start };
};

const zoneOf = (name: string): IANAZone => {
  const zone = IANAZone.create(name);
  if (!zone.isValid) throw new Error(`Unknown IANA time zone: ${name}`);
  return zone;
};

/** The zone's UTC offset in minutes during one minute; offsets only change on minute boundaries. */
const offsetDuring = memoize((key: string): number => {
  const bar = key.indexOf('|');
  return zoneOf(key.slice(0, bar)).offset(Number(key.slice(bar + 1)) * MINUTE);
}, 50_000);

interface LocalTime extends LocalDate {
  /** Minutes after local midnight. */
  minute: number;
}

/**
 * The wall clock in `zone` at `at`: the offset comes from Intl (through luxon) once per zone and
 * minute, the calendar arithmetic from plain UTC getters — luxon's `DateTime` per check was the
 * planner's hottest path.
 */
const localTime = (at: number, zone: string): LocalTime => {
  const offset = offsetDuring(`${zone}|${Math.floor(at / MINUTE)}`);
  const wall = new Date(at + offset * MINUTE);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    weekday: wall.getUTCDay() === 0 ? 7 : wall.getUTCDay(),
    minute: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
  };
};

/** The rules an instant breaks in any of the zones; empty when it is allowed everywhere. */
export const brokenRules = (at: number, zones: readonly string[], rules: readonly TimingRule[]) =>
  rules.filter((rule) =>
    zones.some((zone) => {
      const local = localTime(at, zone);
      if (rule.forbiddenDay?.(local)) return true;
      return rule.allowed !== undefined && !inWindow(local.minute, rule.allowed);
    }),
  );

/**
 * The instants at which the local clock in `zone` first shows `minute` on a date: one normally,
 * two in a fall-back overlap, and in a spring-forward gap the end of the gap (the first instant
 * the clock is past it).
 */
const instantsAtLocal = (
  zone: IANAZone,
  date: { year: number; month: number; day: number },
  minute: number,
): number[] => {
  const wall = Date.UTC(date.year, date.month - 1, date.day, Math.floor(minute / 60), minute % 60);
  const offsets = [...new Set([-DAY, 0, DAY].map((d) => zone.offset(wall + d)))];
  const valid = offsets
    .map((o) => wall - o * MINUTE)
    .filter((t, i) => zone.offset(t) === offsets[i]);
  if (valid.length > 0) return valid;
  // In the gap: the transition lies between the two readings; find it to the minute.
  const readings = offsets.map((o) => wall - o * MINUTE);
  let lo = Math.min(...readings);
  let hi = Math.max(...readings);
  const after = zone.offset(hi);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (zone.offset(mid) === after) hi = mid;
    else lo = mid;
  }
  return [hi];
};

/** How far ahead to look; enough for a holiday weekend after a wrapped window. */
const HORIZON_DAYS = 21;

/**
 * The first instant at or after `at` (epoch ms) that breaks no rule in any zone. The answer is
 * always a window start or a local midnight, so only those are tried.
 */
export const nextAllowedInstant = (
  at: number,
  zones: readonly string[],
  rules: readonly TimingRule[],
): number => {
  if (brokenRules(at, zones, rules).length === 0) return at;
  const starts = [
    0,
    ...rules.flatMap((r) => (r.allowed ? [clockMinutes(r.allowed.start)] : [])),
  ].filter((m, i, all) => all.indexOf(m) === i);
  const candidates: number[] = [];
  for (const name of zones) {
    const zone = zoneOf(name);
    const first = DateTime.fromMillis(at, { zone: name }).startOf('day');
    for (let d = 0; d <= HORIZON_DAYS; d += 1) {
      const date = first.plus({ days: d });
      for (const minute of starts) {
        for (const t of instantsAtLocal(zone, date, minute)) if (t > at) candidates.push(t);
      }
    }
  }
  candidates.sort((a, b) => a - b);
  const found = candidates.find((t) => brokenRules(t, zones, rules).length === 0);
  if (found === undefined) {
    throw new Error(`No allowed instant within ${HORIZON_DAYS} days: the timing rules conflict`);
  }
  return found;
};
