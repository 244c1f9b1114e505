/**
 * @module Injected time and identity, so core never reads the wall clock or a random source and
 * every test is deterministic.
 */

/** A source of "now". Runtimes pass a system clock; tests pass a fixed or stepping one. */
export interface Clock {
  now(): Date;
}

/** A source of unique ids (outbox intents, audit entries). */
export interface Ids {
  next(prefix: string): string;
}

/** A clock that always answers the same instant, and can be moved by hand. */
export const fixedClock = (at: Date | string): Clock & { set(to: Date | string): void } => {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set: (to) => {
      current = new Date(to);
    },
  };
};

/** Ids `prefix_1`, `prefix_2`, …; stable across runs, which is what tests want. */
export const sequentialIds = (): Ids => {
  let n = 0;
  return {
    next: (prefix) => {
      n += 1;
      return `${prefix}_${n}`;
    },
  };
};
