/** @module One timer per time slot for send timeouts, instead of one `AbortSignal.timeout` per send. */

/**
 * Returns signals that abort `timeoutMs` to `timeoutMs + slotMs` after they were handed out: every
 * send started within the same `slotMs` slot shares one controller and one timer. At most
 * `timeoutMs / slotMs + 1` controllers live at a time however many sends are in flight, where
 * `AbortSignal.timeout` per send keeps a timer and a signal (and everything the request hung on
 * it) alive for the full timeout after each send finished.
 */
export const createSendTimeouts = (
  timeoutMs: number,
  slotMs = 100,
  now: () => number = () => performance.now(),
): (() => AbortSignal) => {
  let slot: { signal: AbortSignal; closesAt: number } | undefined;
  return () => {
    const at = now();
    if (slot === undefined || at >= slot.closesAt) {
      const controller = new AbortController();
      const timer = setTimeout(() => {
        controller.abort(new DOMException('The operation timed out.', 'TimeoutError'));
      }, timeoutMs + slotMs);
      // A pending timeout must not keep a finished process alive.
      timer.unref();
      slot = { signal: controller.signal, closesAt: at + slotMs };
    }
    return slot.signal;
  };
};
