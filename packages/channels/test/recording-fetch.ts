/**
 * @module A scripted `fetch` for adapter tests: it records every request, validates it (against a
 * spec or a fixture check) and answers from a queue of canned responses.
 */

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | object;
}

/** Checks one request; returns the problems found, empty when it conforms. */
export type RequestCheck = (request: RecordedRequest) => string[];

export interface RecordingFetch {
  fetch: typeof fetch;
  requests: RecordedRequest[];
  /** Every problem the check reported, prefixed with the request it came from. */
  problems: string[];
}

const toHeaders = (init: RequestInit | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, key) => {
    out[key] = value;
  });
  return out;
};

/** Answers the queued responses in order (the last one repeats) and checks every request. */
export const recordingFetch = (
  responses: CannedResponse[],
  check?: RequestCheck,
): RecordingFetch => {
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const recorded: RecordedRequest = {
      method: init?.method ?? 'GET',
      url: String(input),
      headers: toHeaders(init),
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    requests.push(recorded);
    let found: string[];
    try {
      found = check?.(recorded) ?? [];
    } catch (error) {
      // A broken check must fail the test, not pass as a network error inside the adapter.
      found = [
        `the request check threw: ${error instanceof Error ? error.message : String(error)}`,
      ];
    }
    for (const problem of found) problems.push(`${recorded.method} ${recorded.url}: ${problem}`);
    const canned = responses[Math.min(requests.length - 1, responses.length - 1)];
    if (canned === undefined) throw new Error('recordingFetch: no canned response');
    const body =
      canned.body === undefined
        ? null
        : typeof canned.body === 'string'
          ? canned.body
          : JSON.stringify(canned.body);
    return new Response(body, { status: canned.status, headers: canned.headers ?? {} });
  };
  return { fetch: fake as typeof fetch, requests, problems };
};

/** A `fetch` that never answers until its signal aborts, as a stalled provider would. */
export const hangingFetch = (): typeof fetch =>
  ((_input: string | URL | Request, init?: RequestInit) =>
    new Promise<Response>((_resolve, reject) => {
      const signal = init?.signal;
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    })) as typeof fetch;
