/**
 * @module Memoisation for the pure look-ups on the planner's hot path (phone parsing, zone
 * offsets): the same inputs recur on every plan, and libphonenumber and Intl are slow by
 * comparison. Bounded, so a long-running process cannot grow without limit.
 */

/** Wraps a pure string → value function with a cache of at most `max` entries (cleared when full). */
export const memoize = <T>(fn: (key: string) => T, max = 10_000): ((key: string) => T) => {
  const cache = new Map<string, T>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as T;
    const value = fn(key);
    if (cache.size >= max) cache.clear();
    cache.set(key, value);
    return value;
  };
};
