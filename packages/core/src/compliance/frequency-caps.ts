/**
 * @module Frequency caps some states put on marketing to a phone (FL, OK, MD: three per 24 hours
 * on the same subject), counted over the recent sends we know of.
 */
import type { ChannelKind } from '../channel-kinds.ts';
import type { RecipientFacts } from './compliance-types.ts';

export interface FrequencyCap {
  max: number;
  hours: number;
}

/**
 * When the cap lets one more marketing message through: `at` itself if fewer than `max` were
 * sent in the `hours` before it, else the instant the oldest counted send leaves the window.
 * Every marketing send to a phone channel counts, whatever its subject — stricter than "same
 * subject", because we cannot tell subjects apart.
 */
export const frequencyCapFreesAt = (
  at: number,
  cap: FrequencyCap,
  facts: RecipientFacts,
  channels: readonly ChannelKind[],
): number => {
  const span = cap.hours * 3_600_000;
  const counted = facts.recentSends
    .filter((s) => s.class === 'marketing' && channels.includes(s.channel))
    .map((s) => Date.parse(s.at))
    .filter((t) => t <= at && t > at - span)
    .sort((a, b) => b - a);
  // The max-th newest send is the one whose expiry brings the count below max.
  const blocking = counted[cap.max - 1];
  return blocking === undefined ? at : blocking + span;
};
