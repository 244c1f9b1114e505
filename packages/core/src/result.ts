/** @module Expected failures as values with a stable machine-readable code (STYLE: errors). */

export type Ok<T> = { ok: true } & T;
export type Err<E> = { ok: false; error: E };

/** The shape every expected failure in core takes: a stable `code` and a sentence for people. */
export interface CoreError<C extends string = string> {
  code: C;
  message: string;
}
