/**
 * @module The fingerprint that recognises the trigger run our own write-back causes (DESIGN §4):
 * the ticket, the minute it was updated (Zendesk's `*_with_timestamp` placeholders have minute
 * precision, the API seconds) and the order-status value it then held. The write-back computes it
 * from the API's answer, the webhook from the payload; equal keys mean "this is our echo".
 */

/** `2026-11-28T15:00:37Z` and `2026-11-28T15:00Z` both give `2026-11-28T15:00`; junk gives ''. */
export const minuteOf = (instant: string | undefined): string => {
  if (!instant) return '';
  const ms = Date.parse(instant);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 16) : '';
};

/** The echo fingerprint of a ticket state. */
export const zendeskEchoKey = (
  ticketId: string,
  updatedAt: string | undefined,
  statusValue: string | undefined,
): string =>
  `zendesk:echo:${ticketId}:${minuteOf(updatedAt)}:${(statusValue ?? '').trim().toLowerCase()}`;
