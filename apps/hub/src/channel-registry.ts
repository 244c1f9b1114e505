/**
 * @module Which adapter sends a tenant's messages on a channel: the provider whose credentials
 * the tenant stored, or — for the embedded default and the demo — the dev sink, which keeps
 * what would have been sent for the dev inbox.
 */
import { createDevSink, type DevSink } from '@tidings/channels';
import { CHANNEL_KINDS, type ChannelKind } from '@tidings/core';
import type { ChannelResolver, ResolvedChannel } from '@tidings/engine';

export interface ChannelRegistry extends ChannelResolver {
  /** Everything the dev sinks took, newest last. */
  devMessages(): ReturnType<DevSink['messages']>[number][];
}

/**
 * Resolves every channel to the dev sink; provider adapters with stored credentials are wired
 * in by the platform and channel issues (the registry is the one place they plug into).
 */
export const createChannelRegistry = (
  options: { print?: (line: string) => void } = {},
): ChannelRegistry => {
  const sinks = new Map<ChannelKind, DevSink>(
    CHANNEL_KINDS.map((kind) => [
      kind,
      createDevSink({ channel: kind, print: options.print ?? (() => {}) }),
    ]),
  );
  return {
    async resolve(_tenantId, kind): Promise<ResolvedChannel | undefined> {
      const sink = sinks.get(kind);
      return sink
        ? { channel: sink, credentials: undefined, accountKey: `dev-sink:${kind}` }
        : undefined;
    },
    devMessages() {
      return [...sinks.values()]
        .flatMap((s) => [...s.messages()])
        .sort((a, b) => (a.at < b.at ? -1 : 1));
    },
  };
};
