/**
 * @module Signatures seen within the freshness window, so a captured request sent again answers
 * 409 instead of being processed. The plugin signs every attempt anew, so it never trips this;
 * durable dedupe is the event store's (one event per delivery id), which holds across processes.
 */

export interface ReplayCache {
  /** True when `key` was seen within the window; records it otherwise. */
  seen(key: string, nowMs: number): boolean;
  size(): number;
}

/** An in-process cache holding keys for `windowMs`, at most `maxEntries` (oldest dropped first). */
export const createReplayCache = (windowMs: number, maxEntries = 100_000): ReplayCache => {
  const entries = new Map<string, number>();
  const prune = (nowMs: number): void => {
    for (const [key, at] of entries) {
      if (nowMs - at <= windowMs && entries.size <= maxEntries) break;
      entries.delete(key);
    }
  };
  return {
    seen(key, nowMs) {
      prune(nowMs);
      const at = entries.get(key);
      if (at !== undefined && nowMs - at <= windowMs) return true;
      entries.set(key, nowMs);
      return false;
    },
    size: () => entries.size,
  };
};
