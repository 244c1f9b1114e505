/** @module HTTP errors with a stable machine-readable `code`, turned into JSON at the edge. */

/** The codes every Tidings endpoint may answer with; apps add their own beside these. */
export const HTTP_ERROR_CODES = {
  malformed_json: 400,
  malformed_body: 400,
  missing_signature: 401,
  bad_signature: 401,
  stale_request: 401,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  replayed_request: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_event: 422,
  invalid_request: 422,
  rate_limited: 429,
  internal_error: 500,
  store_unavailable: 503,
  shutting_down: 503,
} as const;
export type HttpErrorCode = keyof typeof HTTP_ERROR_CODES;

/** Throw from a handler; the error handler answers `{ error: { code, message, … } }`. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: HttpErrorCode | (string & {}),
    message: string,
    options: {
      status?: number;
      details?: Record<string, unknown>;
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'HttpError';
    this.code = code;
    this.statusCode = options.status ?? HTTP_ERROR_CODES[code as HttpErrorCode] ?? 500;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

/** The body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; requestId: string } & Record<string, unknown>;
}
