/**
 * @module The `send` most adapters share: refuse a message with no contact point, make exactly
 * one provider request under the adapter's timeout and the caller's signal, and let the adapter
 * read the answer. What differs per provider (the body, where the message id is, the error-code
 * table) stays in the adapter's folder. Adapters addressed by their credentials rather than by
 * `message.to` (Slack, Teams, Google Chat) or needing more than one call (ActiveCampaign) call
 * `callProvider` themselves.
 */
import type { OutboundMessage, SendFailure, SendResult } from '../core-contract.ts';
import type { ChannelSendOptions } from '../send-options.ts';
import { DEFAULT_TIMEOUT_MS, type ResolvedDeps } from './channel-deps.ts';
import { callProvider, type ProviderRequest, type ProviderResponse } from './provider-call.ts';
import { sendFailure } from './send-failures.ts';

export interface SingleRequestSend<C> {
  /** Human label of the provider; the only provider-specific word in a failure's `message`. */
  label: string;
  deps: ResolvedDeps;
  /** The adapter config's timeout; `DEFAULT_TIMEOUT_MS` when unset. */
  timeoutMs?: number | undefined;
  /**
   * The request for this message (`to` is the message's non-empty contact point), or the failure
   * that says why it cannot be sent this way; a failure is returned without calling the provider.
   */
  request(
    message: OutboundMessage,
    to: string,
    credentials: C,
    options: ChannelSendOptions,
  ): ProviderRequest | SendFailure;
  /** What the provider's answer means: the message id on success, else the classified failure. */
  answer(response: ProviderResponse, message: OutboundMessage, credentials: C): SendResult;
}

export type SendFunction<C> = (
  message: OutboundMessage,
  credentials: C,
  options?: ChannelSendOptions,
) => Promise<SendResult>;

const isFailure = (built: ProviderRequest | SendFailure): built is SendFailure => 'class' in built;

/** Builds an adapter's `send` from its request builder and answer reader. */
export const singleRequestSend =
  <C>(spec: SingleRequestSend<C>): SendFunction<C> =>
  async (message, credentials, options = {}) => {
    const { label } = spec;
    const to = message.to;
    if (to === undefined || to === '') {
      return {
        ok: false,
        error: sendFailure({ label, code: 'invalid_recipient', class: 'permanent' }),
      };
    }
    const built = spec.request(message, to, credentials, options);
    if (isFailure(built)) return { ok: false, error: built };
    const outcome = await callProvider(spec.deps, built, {
      label,
      timeoutMs: spec.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: options.signal,
    });
    if (!outcome.ok) return outcome;
    return spec.answer(outcome.response, message, credentials);
  };
