/**
 * @module One HTTP call to a provider: the transport, a timeout combined with the caller's
 * signal, and network failures turned into values.
 */
import type { AbortSignalLike, SendFailure } from '../core-contract.ts';
import type { ResolvedDeps } from './channel-deps.ts';
import type { ResponseHeaders } from './provider-transport.ts';
import { sendFailure } from './send-failures.ts';

export interface ProviderRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ProviderResponse {
  status: number;
  headers: ResponseHeaders;
  text: string;
  /** The body parsed as JSON, or `undefined` when it is empty or not JSON. */
  json: unknown;
}

export type CallOutcome =
  | { ok: true; response: ProviderResponse }
  | { ok: false; error: SendFailure };

export interface CallOptions {
  label: string;
  timeoutMs: number;
  signal?: AbortSignalLike | undefined;
}

const parseJson = (text: string): unknown => {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** Sends one request and reads the whole answer, or says why it could not (timeout, abort, network). */
export const callProvider = async (
  deps: ResolvedDeps,
  request: ProviderRequest,
  options: CallOptions,
): Promise<CallOutcome> => {
  const { label } = options;
  if (options.signal?.aborted === true) {
    return { ok: false, error: sendFailure({ label, code: 'aborted', class: 'retryable' }) };
  }
  const timeout = AbortSignal.timeout(options.timeoutMs);
  // Core names only the shape of a signal; a real AbortSignal can also be followed mid-flight.
  const caller = options.signal instanceof AbortSignal ? options.signal : undefined;
  const signal = caller === undefined ? timeout : AbortSignal.any([timeout, caller]);
  try {
    const res = await deps.transport({ ...request, signal });
    return {
      ok: true,
      response: {
        status: res.status,
        headers: res.headers,
        text: res.text,
        json: parseJson(res.text),
      },
    };
  } catch (cause) {
    if (caller?.aborted === true) {
      return { ok: false, error: sendFailure({ label, code: 'aborted', class: 'retryable' }) };
    }
    if (timeout.aborted) {
      return { ok: false, error: sendFailure({ label, code: 'timeout', class: 'retryable' }) };
    }
    const detail = cause instanceof Error ? cause.message : String(cause);
    return {
      ok: false,
      error: sendFailure({
        label,
        code: 'network_error',
        class: 'retryable',
        providerBody: detail,
      }),
    };
  }
};
