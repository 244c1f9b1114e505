/**
 * @module WhatsApp's 24-hour customer-service window: free-form messages only within 24 hours of
 * the customer's last message; outside it, only an approved template (Meta's Cloud API rules).
 */

const WINDOW_MS = 24 * 3_600_000;

/** True when the customer wrote to us on WhatsApp less than 24 hours before `now`. */
export const whatsappWindowOpen = (lastInboundAt: string | undefined, now: string): boolean => {
  if (lastInboundAt === undefined) return false;
  const since = Date.parse(now) - Date.parse(lastInboundAt);
  return since >= 0 && since < WINDOW_MS;
};
